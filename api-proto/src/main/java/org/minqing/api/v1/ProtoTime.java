package org.minqing.api.v1;

import java.time.Instant;

import com.google.protobuf.Timestamp;

/** Instants to and from the contract's protobuf timestamps, at full (nanosecond) precision. */
public final class ProtoTime {

    private ProtoTime() {
    }

    public static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    public static Instant instant(Timestamp timestamp) {
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }
}
