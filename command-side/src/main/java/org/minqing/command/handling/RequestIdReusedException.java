package org.minqing.command.handling;

/**
 * A request id came back with a different request. Refused rather than answered with the first
 * outcome, because the client's intent is ambiguous: it is a client bug, reported on request_id.
 */
public class RequestIdReusedException extends RuntimeException {

    private final String requestId;
    private final String earlierMethod;

    public RequestIdReusedException(String requestId, String earlierMethod) {
        super("request_id " + requestId + " was already used for a different request (" + earlierMethod + ")");
        this.requestId = requestId;
        this.earlierMethod = earlierMethod;
    }

    public String requestId() {
        return requestId;
    }

    public String earlierMethod() {
        return earlierMethod;
    }
}
