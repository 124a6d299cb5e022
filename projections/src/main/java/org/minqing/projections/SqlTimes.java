package org.minqing.projections;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import com.google.protobuf.Timestamp;
import org.minqing.api.v1.ProtoTime;

/** Times as the read models store them — TIMESTAMP WITH TIME ZONE, written in UTC — for their writers and readers. */
public final class SqlTimes {

    private SqlTimes() {
    }

    public static OffsetDateTime of(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    /** An unset protobuf timestamp (all zero) is stored as NULL. */
    public static OffsetDateTime of(Timestamp timestamp) {
        return isSet(timestamp) ? of(ProtoTime.instant(timestamp)) : null;
    }

    /** The timestamp if set, else the fallback (typically the event's own time). */
    public static OffsetDateTime of(Timestamp timestamp, Instant fallback) {
        return isSet(timestamp) ? of(timestamp) : of(fallback);
    }

    /** The instant a column holds, or null. */
    public static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    public static boolean isSet(Timestamp timestamp) {
        return timestamp != null && (timestamp.getSeconds() != 0 || timestamp.getNanos() != 0);
    }
}
