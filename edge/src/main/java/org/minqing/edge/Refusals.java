package org.minqing.edge;

import java.util.Map;

import com.google.protobuf.Any;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;

/**
 * PERMISSION_DENIED as the API documents it: a message a person can read and a
 * {@code google.rpc.ErrorInfo} a program can act on (reason, the caller's role, the method, and
 * what else explains the refusal).
 */
public final class Refusals {

    /** The error domain of every ErrorInfo this API sends. */
    public static final String DOMAIN = "minqing.org";
    /** The caller's role may not call the method at all. */
    public static final String ROLE_NOT_ALLOWED = "ROLE_NOT_ALLOWED";
    /** A department or grid worker acted on a case it does not hold (or holds only as an assistant). */
    public static final String CASE_NOT_HELD = "CASE_NOT_HELD";
    /** A caller limited to its own cases asked for another's. */
    public static final String CASE_NOT_VISIBLE = "CASE_NOT_VISIBLE";
    /** A caller may read cases but not the citizen's personal data in them. */
    public static final String PERSONAL_DATA_NOT_ALLOWED = "PERSONAL_DATA_NOT_ALLOWED";

    private Refusals() {
    }

    public static StatusRuntimeException permissionDenied(String reason, String message, Caller caller, String method,
                                                          Map<String, String> details) {
        ErrorInfo info = ErrorInfo.newBuilder()
                .setReason(reason)
                .setDomain(DOMAIN)
                .putMetadata("role", caller.role())
                .putMetadata("organization", caller.organization())
                .putMetadata("rpc", method)
                .putAllMetadata(details)
                .build();
        return StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
                .setCode(Code.PERMISSION_DENIED_VALUE)
                .setMessage(message)
                .addDetails(Any.pack(info))
                .build());
    }
}
