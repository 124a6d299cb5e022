package org.minqing.privacy;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** A refused master key at start-up as its one sentence, not a wall of bean-creation exceptions. */
class MasterKeyFailureAnalyzer extends AbstractFailureAnalyzer<MasterKeyException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, MasterKeyException cause) {
        return new FailureAnalysis(cause.getMessage(), "See docs/privacy.md, \"The key hierarchy\".", cause);
    }
}
