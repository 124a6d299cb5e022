package org.minqing.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** A refused master key is reported as its sentence, however deep in the bean creation it was thrown. */
class MasterKeyFailureAnalyzerTest {

    @Test
    void theRefusalIsTheDescription() {
        FailureAnalysis analysis = new MasterKeyFailureAnalyzer().analyze(new BeanCreationException("dataKeys",
                new BeanCreationException("masterKey", new MasterKeyException(PrivacyConfiguration.NO_MASTER_KEY))));

        assertThat(analysis.getDescription()).isEqualTo(PrivacyConfiguration.NO_MASTER_KEY);
        assertThat(analysis.getAction()).contains("docs/privacy.md");
    }

    @Test
    void otherFailuresAreNotItsToReport() {
        assertThat(new MasterKeyFailureAnalyzer().analyze(new IllegalStateException("something else"))).isNull();
    }
}
