package org.minqing.server;

import java.sql.SQLException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.Environment;

/**
 * Turns "the database cannot be reached or refuses us" at start-up into one readable report
 * instead of a wall of nested bean-creation exceptions. Recognised by SQL state class: 08
 * (connection exception), 28 (invalid authorization), 3D (no such database).
 */
class DatabaseConnectionFailureAnalyzer extends AbstractFailureAnalyzer<SQLException> {

    private final Environment environment;

    DatabaseConnectionFailureAnalyzer(Environment environment) {
        this.environment = environment;
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, SQLException cause) {
        String state = cause.getSQLState();
        if (state == null || !(state.startsWith("08") || state.startsWith("28") || state.startsWith("3D"))) {
            return null;
        }
        String url = environment.getProperty("spring.datasource.url", "(spring.datasource.url is not set)");
        return new FailureAnalysis(
                "Minqing cannot use the database at " + url + ": " + cause.getMessage() + " (SQL state " + state + ")",
                "Check spring.datasource.url, spring.datasource.username and spring.datasource.password, "
                        + "and that the database server is running and reachable.",
                cause);
    }
}
