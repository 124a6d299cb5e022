package org.minqing.server;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * One jar, three roles: command handling, projections and queries, each switched by
 * {@code minqing.roles.*} (all on by default), so one process on the embedded store is the whole
 * system and a city deployment runs the same jar as several processes.
 */
@SpringBootApplication(scanBasePackages = "org.minqing")
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
