package org.minqing.server;

import java.sql.SQLException;
import java.util.regex.Pattern;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.Environment;

/**
 * Turns "the database cannot be reached or refuses us" at start-up into one readable report
 * instead of a wall of nested bean-creation exceptions. Recognised by SQL state class: 08
 * (connection exception), 28 (invalid authorization), 3D (no such database); and H2's 90020, the
 * embedded store's file held by another process.
 */
class DatabaseConnectionFailureAnalyzer extends AbstractFailureAnalyzer<SQLException> {

    private final Environment environment;

    DatabaseConnectionFailureAnalyzer(Environment environment) {
        this.environment = environment;
    }

    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)(password=)[^&;]*");
    private static final Pattern USER_INFO = Pattern.compile("(//[^/:@]*:)[^/@]*@");

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, SQLException cause) {
        String state = cause.getSQLState();
        if ("90020".equals(state)) {
            String dataDir = environment.getProperty("minqing.data-dir", "./data");
            return new FailureAnalysis(
                    "Another process is using the data directory " + dataDir + " (its H2 file is locked).",
                    "Stop the other Minqing process, or give this one its own minqing.data-dir.", cause);
        }
        if (state == null || !(state.startsWith("08") || state.startsWith("28") || state.startsWith("3D"))) {
            return null;
        }
        String url = redacted(environment.getProperty("spring.datasource.url", "(spring.datasource.url is not set)"));
        return new FailureAnalysis(
                "Minqing cannot use the database at " + url + ": " + cause.getMessage() + " (SQL state " + state + ")",
                "Check spring.datasource.url, spring.datasource.username and spring.datasource.password, "
                        + "and that the database server is running and reachable.",
                cause);
    }

    /** The URL without a password in it (as a parameter, or in user:password@host), for the log. */
    static String redacted(String url) {
        return PASSWORD_PARAMETER.matcher(USER_INFO.matcher(url).replaceAll("$1***@")).replaceAll("$1***");
    }
}
