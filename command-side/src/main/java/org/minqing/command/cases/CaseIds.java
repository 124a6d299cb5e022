package org.minqing.command.cases;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.minqing.api.v1.Channel;

/** Case ids. A partner's report maps to one id, so a retried report finds the case it created. */
public final class CaseIds {

    private CaseIds() {
    }

    /**
     * The id of the case for a partner's report: a name-based (version 3) UUID of the partner
     * system, the channel and the partner's reference. Each part is length-prefixed so that no two
     * different triples give the same name.
     */
    public static String forReport(String partnerSystem, Channel channel, String partnerReference) {
        String name = part(partnerSystem) + part(channel.name()) + part(partnerReference);
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** A fresh id, for a report without a partner reference (nothing to deduplicate on). */
    public static String random() {
        return UUID.randomUUID().toString();
    }

    private static String part(String value) {
        return value.length() + ":" + value;
    }
}
