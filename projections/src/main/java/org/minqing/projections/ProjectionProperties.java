package org.minqing.projections;

import java.time.ZoneId;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the projections.
 *
 * @param timeZone the zone in which timeline summaries state times (deadlines are local
 *                 business times); default Asia/Shanghai. Changing it affects entries written
 *                 from then on, or all of them after a replay.
 */
@ConfigurationProperties("minqing.projections")
public record ProjectionProperties(ZoneId timeZone) {

    public ProjectionProperties {
        timeZone = timeZone == null ? ZoneId.of("Asia/Shanghai") : timeZone;
    }
}
