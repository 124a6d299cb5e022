package org.minqing.edge;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

import jakarta.validation.Validation;
import jakarta.validation.Validator;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.FileSystemResource;

/**
 * A YAML file of further API keys and client certificates ({@code minqing.security.keys-file}),
 * in the same shape as the {@code minqing.security} configuration, looked at again at most every
 * {@code keys-file-check-interval} and re-read when it changed: keys are issued, rotated and
 * withdrawn without a restart. A change that does not parse or validate is refused with an error
 * and the keys in force stay as they were.
 */
final class KeysFile {

    private static final Validator VALIDATOR = Validation.buildDefaultValidatorFactory().getValidator();

    private final Path path;
    private final Duration interval;
    private final Clock clock;
    private Instant nextCheck;
    private FileTime seen;

    KeysFile(Path path, Duration interval, Clock clock) {
        this.path = path;
        this.interval = interval;
        this.clock = clock;
        this.nextCheck = clock.instant().plus(interval);
    }

    /** The file's keys now; fails (at start-up) when it cannot be read or is invalid. */
    synchronized SecurityProperties load() throws IOException {
        seen = Files.getLastModifiedTime(path);
        return read();
    }

    /** The file's keys if it changed since it was last read and is due for a look, else null. */
    synchronized SecurityProperties changed() throws IOException {
        Instant now = clock.instant();
        if (now.isBefore(nextCheck)) {
            return null;
        }
        nextCheck = now.plus(interval);
        FileTime modified = Files.getLastModifiedTime(path);
        if (modified.equals(seen)) {
            return null;
        }
        seen = modified;
        return read();
    }

    Path path() {
        return path;
    }

    private SecurityProperties read() throws IOException {
        List<PropertySource<?>> sources = new YamlPropertySourceLoader().load(path.toString(), new FileSystemResource(path));
        SecurityProperties keys = new Binder(ConfigurationPropertySources.from(sources))
                .bind("minqing.security", SecurityProperties.class)
                .orElseGet(() -> new SecurityProperties(List.of(), List.of(), null, null));
        var violations = VALIDATOR.validate(keys);
        if (!violations.isEmpty()) {
            throw new IllegalArgumentException(path + ": " + violations.stream()
                    .map(v -> v.getPropertyPath() + " " + v.getMessage()).sorted().collect(Collectors.joining("; ")));
        }
        if (keys.keysFile() != null) {
            throw new IllegalArgumentException(path + ": a keys file cannot name another (keys-file)");
        }
        return keys;
    }
}
