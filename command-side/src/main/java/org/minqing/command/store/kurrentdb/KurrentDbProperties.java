package org.minqing.command.store.kurrentdb;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * {@code minqing.event-store.kurrentdb.*}: where the KurrentDB (EventStoreDB) server is and how
 * the engine names its streams. Used when {@code minqing.event-store.engine=kurrentdb}.
 *
 * @param connectionString  the client's connection string: {@code kurrentdb://host:2113?tls=false} for one
 *                          node, {@code kurrentdb+discover://…} or several hosts for a cluster; credentials,
 *                          TLS and discovery options as the KurrentDB client documents them
 * @param streamPrefix      an aggregate's events live in {@code <streamPrefix><aggregate id>}
 * @param snapshotPrefix    its snapshots in {@code <snapshotPrefix><aggregate id>}; must not start with
 *                          {@code streamPrefix}, so tracking never sees snapshots
 * @param snapshotsKept     how many snapshots per aggregate the server keeps ({@code $maxCount})
 * @param operationTimeout  the deadline of every call to the server: nothing waits longer
 * @param readBatchSize     events per read when loading an aggregate or scanning {@code $all}
 * @param verifyOnStart     whether start-up fails when the server cannot be reached
 */
@Validated
@ConfigurationProperties("minqing.event-store.kurrentdb")
public record KurrentDbProperties(
        @NotBlank String connectionString,
        @NotBlank @Pattern(regexp = "[A-Za-z0-9_.-]+") String streamPrefix,
        @NotBlank @Pattern(regexp = "[A-Za-z0-9_.-]+") String snapshotPrefix,
        @Min(1) int snapshotsKept,
        @NotNull Duration operationTimeout,
        @Min(1) int readBatchSize,
        Boolean verifyOnStart) {

    public KurrentDbProperties {
        if (connectionString == null) {
            connectionString = "kurrentdb://localhost:2113?tls=false";
        }
        if (streamPrefix == null) {
            streamPrefix = "case-";
        }
        if (snapshotPrefix == null) {
            snapshotPrefix = "snapshot-case-";
        }
        if (snapshotsKept == 0) {
            snapshotsKept = 3;
        }
        if (operationTimeout == null) {
            operationTimeout = Duration.ofSeconds(10);
        }
        if (readBatchSize == 0) {
            readBatchSize = 256;
        }
        if (verifyOnStart == null) {
            verifyOnStart = true;
        }
        if (snapshotPrefix.startsWith(streamPrefix)) {
            throw new IllegalArgumentException("minqing.event-store.kurrentdb.snapshot-prefix must not start with "
                    + "the stream prefix '" + streamPrefix + "': tracking would read snapshots as events");
        }
    }

    /** For tests and tools: defaults with another server. */
    public static KurrentDbProperties of(String connectionString) {
        return new KurrentDbProperties(connectionString, null, null, 0, null, 0, true);
    }

    public KurrentDbProperties withOperationTimeout(Duration timeout) {
        return new KurrentDbProperties(connectionString, streamPrefix, snapshotPrefix, snapshotsKept, timeout,
                readBatchSize, verifyOnStart);
    }

    public KurrentDbProperties withReadBatchSize(int batchSize) {
        return new KurrentDbProperties(connectionString, streamPrefix, snapshotPrefix, snapshotsKept, operationTimeout,
                batchSize, verifyOnStart);
    }
}
