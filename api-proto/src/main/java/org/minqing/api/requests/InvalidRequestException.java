package org.minqing.api.requests;

import com.google.rpc.BadRequest;

/**
 * A request refused for its fields, each named with what is wrong with it. Thrown by whichever
 * layer finds the fault; each transport answers it its own way (gRPC: INVALID_ARGUMENT with the
 * {@code BadRequest} as a detail).
 */
public final class InvalidRequestException extends RuntimeException {

    private final transient BadRequest badRequest;

    InvalidRequestException(String summary, BadRequest badRequest) {
        super(summary, null, false, false); // a client's mistake: no stack trace to fill or log
        this.badRequest = badRequest;
    }

    public BadRequest badRequest() {
        return badRequest;
    }
}
