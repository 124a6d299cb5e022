package org.minqing.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.minqing.edge.SecurityProperties;
import org.springframework.mock.env.MockEnvironment;

/** The README's keys open a development server only. */
class DevelopmentKeysTest {

    private static final String DEV_KEY_HASH = "d1a0e68f141aff6cb2cab7e398b0df71727ff4e7d81eaf4c027cad0831abf02c";

    @Test
    void thePublishedKeysAreThoseOfTheDevelopmentProfile() {
        assertThat(DevelopmentKeys.published()).hasSizeGreaterThanOrEqualTo(13).contains(DEV_KEY_HASH);
    }

    @Test
    void aServerWithoutTheProfileRefusesToStartWithAPublishedKey() {
        SecurityProperties keys = keys(DEV_KEY_HASH);
        assertThatThrownBy(() -> new DevelopmentKeys(keys, new MockEnvironment()).afterPropertiesSet())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("published development keys (principals [copied])")
                .hasMessageContaining("--spring.profiles.active=dev");
    }

    @Test
    void aServerWithoutTheProfileRefusesToSignCheckpointsWithThePublishedKey() {
        MockEnvironment copied = new MockEnvironment()
                .withProperty("minqing.checkpoints.signing-key", DevelopmentKeys.publishedSigningKey());
        assertThat(DevelopmentKeys.publishedSigningKey()).startsWith("PRIVATE+KEY+minqing.dev/12345+");
        assertThatThrownBy(() -> new DevelopmentKeys(keys("b".repeat(64)), copied).afterPropertiesSet())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("minqing.checkpoints.signing-key is the published development key");
    }

    @Test
    void aServerWithoutTheProfileRefusesThePublishedMasterKey() {
        MockEnvironment copied = new MockEnvironment()
                .withProperty("minqing.privacy.master-key", "gILWA7ZWGdUjOzg7BVo+YKXq1zgG38D7CN7NiYrgtDw=");
        assertThatThrownBy(() -> new DevelopmentKeys(keys("b".repeat(64)), copied).afterPropertiesSet())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("minqing.privacy.master-key is the published development key")
                .hasMessageContaining("minqing.privacy.master-key-file");
    }

    @Test
    void ownKeysAndTheDevelopmentProfileStart() {
        assertThatCode(() -> new DevelopmentKeys(keys("b".repeat(64)), new MockEnvironment()).afterPropertiesSet())
                .doesNotThrowAnyException();
        MockEnvironment development = new MockEnvironment();
        development.setActiveProfiles("dev");
        assertThatCode(() -> new DevelopmentKeys(keys(DEV_KEY_HASH), development).afterPropertiesSet())
                .doesNotThrowAnyException();
    }

    private static SecurityProperties keys(String hash) {
        return new SecurityProperties(List.of(new SecurityProperties.ApiKey(hash, "copied", "dispatcher", "12345-center", null)), List.of(), null, null);
    }
}
