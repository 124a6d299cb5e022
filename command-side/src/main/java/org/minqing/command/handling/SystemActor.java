package org.minqing.command.handling;

import java.util.Map;
import java.util.UUID;

import org.minqing.api.v1.EventMetadata;

/** The audit metadata of a command the server sends itself (deadline watch, erasure queue, retention). */
public final class SystemActor {

    private SystemActor() {
    }

    /** Role {@code system}, organization and partner system {@code minqing}, a fresh correlation id. */
    public static Map<String, String> metadata(String actorId, String method) {
        return Map.of(EventMetadata.ACTOR_ID, actorId,
                EventMetadata.ACTOR_ROLE, "system",
                EventMetadata.ACTOR_ORGANIZATION, "minqing",
                EventMetadata.PARTNER_SYSTEM, "minqing",
                EventMetadata.CORRELATION_ID, UUID.randomUUID().toString(),
                EventMetadata.METHOD, method);
    }
}
