package org.minqing.api.v1;

/**
 * The keys of the metadata stored beside every domain event. Part of the public contract:
 * auditors and partner systems read these from the event log, so a key is never renamed.
 */
public final class EventMetadata {

    /** The authenticated caller's principal id. */
    public static final String ACTOR_ID = "actorId";
    /** The caller's role, e.g. {@code dispatcher}, {@code department}, {@code supervisor}. */
    public static final String ACTOR_ROLE = "actorRole";
    /** The caller's organization (a department code or a partner's name). */
    public static final String ACTOR_ORGANIZATION = "actorOrganization";
    /** The partner system the command came through. */
    public static final String PARTNER_SYSTEM = "partnerSystem";
    /** Ties together everything done on behalf of one client interaction. */
    public static final String CORRELATION_ID = "correlationId";
    /** The id of the command message that caused the event. */
    public static final String CAUSATION_ID = "causationId";
    /** The client's idempotency key for the command (AIP-155). */
    public static final String REQUEST_ID = "requestId";
    /** The gRPC method that carried the command. */
    public static final String METHOD = "method";

    /** The hash chain record (docs/audit.md): the hash of the case's previous event, hex. */
    public static final String CHAIN_PREVIOUS = "chainPrevious";
    /** The hash chain record: this event's hash, hex. */
    public static final String CHAIN_HASH = "chainHash";

    private EventMetadata() {
    }
}
