package org.minqing.server.operations;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@code POST /actuator/backup} on the management port: an online backup of the embedded H2
 * store — events, request records, tokens and read models, as of one moment — written by H2's own
 * {@code BACKUP TO} as a zip into {@code minqing.backup.directory} while commands keep running.
 * Restoring is unpacking it into an empty data directory. On PostgreSQL the database's own tools
 * do this ({@code pg_dump}); the endpoint says so rather than pretend.
 */
@Endpoint(id = "backup")
public class StoreBackup {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneOffset.UTC);

    private final JdbcTemplate jdbc;
    private final Path directory;
    private final Clock clock;

    public StoreBackup(JdbcTemplate jdbc, Path directory, Clock clock) {
        this.jdbc = jdbc;
        this.directory = directory;
        this.clock = clock;
    }

    /** One backup at a time: a second request waits for the first rather than double the disk's load. */
    @WriteOperation
    public synchronized WebEndpointResponse<Map<String, Object>> backup() throws IOException {
        String product = jdbc.execute((ConnectionCallback<String>) c -> c.getMetaData().getDatabaseProductName());
        if (!"H2".equals(product)) {
            return new WebEndpointResponse<>(Map.of("error", "the store is " + product
                    + ": back it up with its own tools (docs/operations.md, \"Backup and restore\")"), 409);
        }
        Files.createDirectories(directory);
        Path file = directory.resolve("minqing-" + STAMP.format(clock.instant()) + ".zip").toAbsolutePath();
        jdbc.execute("BACKUP TO '" + file.toString().replace("'", "''") + "'");
        Map<String, Object> made = new LinkedHashMap<>();
        made.put("file", file.toString());
        made.put("bytes", Files.size(file));
        return new WebEndpointResponse<>(made, 200);
    }
}
