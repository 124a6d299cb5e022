package org.minqing.server;

import org.minqing.command.deadlines.DeadlineConfiguration;
import org.minqing.command.store.EventStoreConfiguration;
import org.minqing.command.store.JdbcEventStoreConfiguration;
import org.minqing.command.store.SnapshotConfiguration;
import org.minqing.command.store.kurrentdb.KurrentDbEventStoreConfiguration;
import org.minqing.edge.GrpcEdgeConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

/**
 * One jar, four roles — command handling, projections, queries, audit — each a configuration in
 * {@link org.minqing.server.roles} switched by {@code minqing.roles.*} (all on by default), so one
 * process on the embedded store is the whole system and a city deployment runs the same jar as
 * several processes. Imported here: what every role shares.
 */
@SpringBootApplication
@Import({EventStoreConfiguration.class, JdbcEventStoreConfiguration.class, KurrentDbEventStoreConfiguration.class,
        SnapshotConfiguration.class, DeadlineConfiguration.class, GrpcEdgeConfiguration.class})
public class MinqingApplication {

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("audit")) {
            // The auditor's command line: a gRPC client of a running server, no Spring context.
            org.minqing.server.audit.AuditCli.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        // Axon's update checker phones home at start-up; this machine, and most servers, must not.
        defaultProperty("axoniq.update-checker.disabled", "true");
        // No AxonIQ Console here: skip its advertisement in the log.
        defaultProperty("disable-axoniq-console-message", "true");
        SpringApplication.run(MinqingApplication.class, args);
    }

    private static void defaultProperty(String name, String value) {
        System.setProperty(name, System.getProperty(name, value));
    }
}
