package org.minqing.server;

import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Pattern;

import org.minqing.edge.SecurityProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.config.YamlPropertiesFactoryBean;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

/**
 * Refuses to start a server that accepts a published development key (those of
 * {@code application-dev.yml}, printed in the README) unless the {@code dev} profile is on: a key
 * anyone can read must never open a real deployment, not even one copied into its configuration.
 */
@Component
class DevelopmentKeys implements InitializingBean {

    static final String PROFILE = "dev";
    private static final Logger log = LoggerFactory.getLogger(DevelopmentKeys.class);
    private static final String SIGNING_KEY = "minqing.checkpoints.signing-key";
    private static final String MASTER_KEY = "minqing.privacy.master-key";
    private static final Pattern HASH_PROPERTY = Pattern.compile("minqing\\.security\\.api-keys\\[\\d+]\\.sha256");

    private final SecurityProperties keys;
    private final Environment environment;

    DevelopmentKeys(SecurityProperties keys, Environment environment) {
        this.keys = keys;
        this.environment = environment;
    }

    @Override
    public void afterPropertiesSet() {
        if (environment.acceptsProfiles(Profiles.of(PROFILE))) {
            log.warn("Development profile: the published development API keys are accepted; never run it with real data");
            return;
        }
        List<String> published = published();
        List<String> accepted = keys.apiKeys().stream()
                .filter(key -> published.contains(key.sha256()))
                .map(SecurityProperties.ApiKey::principal)
                .toList();
        if (!accepted.isEmpty()) {
            throw new IllegalStateException("minqing.security.api-keys holds published development keys (principals "
                    + accepted + "): issue your own keys (docs/operations.md, \"Issuing keys\"), or run with"
                    + " --spring.profiles.active=" + PROFILE + " for development");
        }
        String signingKey = environment.getProperty(SIGNING_KEY);
        if (signingKey != null && signingKey.strip().equals(publishedSigningKey())) {
            throw new IllegalStateException(SIGNING_KEY + " is the published development key, which proves nothing:"
                    + " make your own (bin/minqing audit keygen), or run with --spring.profiles.active=" + PROFILE);
        }
        String masterKey = environment.getProperty(MASTER_KEY);
        if (masterKey != null && masterKey.strip().equals(developmentProfile().getProperty(MASTER_KEY))) {
            throw new IllegalStateException(MASTER_KEY + " is the published development key, which protects no"
                    + " one's data: make your own (openssl rand -base64 32) in minqing.privacy.master-key-file, or run"
                    + " with --spring.profiles.active=" + PROFILE);
        }
        if (keys.apiKeys().isEmpty()) {
            log.warn("No API keys are configured (minqing.security.api-keys): every call but health checks and"
                    + " reflection is refused");
        }
    }

    /** The key hashes in the development profile's configuration. */
    static List<String> published() {
        Properties properties = developmentProfile();
        return properties.stringPropertyNames().stream()
                .filter(name -> HASH_PROPERTY.matcher(name).matches())
                .map(properties::getProperty)
                .toList();
    }

    /** The development profile's checkpoint signing key. */
    static String publishedSigningKey() {
        return developmentProfile().getProperty(SIGNING_KEY);
    }

    private static Properties developmentProfile() {
        YamlPropertiesFactoryBean yaml = new YamlPropertiesFactoryBean();
        yaml.setResources(new ClassPathResource("application-" + PROFILE + ".yml"));
        return Objects.requireNonNull(yaml.getObject());
    }
}
