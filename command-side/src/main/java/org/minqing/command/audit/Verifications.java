package org.minqing.command.audit;

import org.minqing.api.v1.ChainBreak;
import org.minqing.api.v1.ChainBreakKind;
import org.minqing.api.v1.CaseVerification;
import org.minqing.command.store.chain.CaseChainVerifier;

/** A verifier's verdict as the API reports it. */
public final class Verifications {

    private Verifications() {
    }

    public static CaseVerification of(String name, CaseChainVerifier verifier) {
        CaseVerification.Builder verification = CaseVerification.newBuilder().setName(name).setEvents(verifier.events())
                .setVerifiedEvents(verifier.verified());
        org.minqing.command.store.chain.ChainBreak broken = verifier.result();
        if (broken == null) {
            return verification.setIntact(true).setHeadHash(verifier.headHash()).build();
        }
        ChainBreak.Builder first = ChainBreak.newBuilder()
                .setSequence(broken.sequence())
                .setKind(ChainBreakKind.valueOf("CHAIN_BREAK_KIND_" + broken.kind().name()))
                .setDetail(broken.detail());
        if (broken.eventId() != null) {
            first.setEventId(broken.eventId());
        }
        return verification.setIntact(false).setFirstBreak(first).build();
    }
}
