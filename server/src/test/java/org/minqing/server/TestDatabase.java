package org.minqing.server;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a test server keeps its data: the embedded H2 file under its data directory by default;
 * with {@code -Dminqing.test.database=postgresql}, a database of its own on the local PostgreSQL
 * (127.0.0.1:5432, {@code -Dminqing.test.postgres-url} to change), one per data directory so that
 * a restart finds its data, dropped when the test JVM exits. An unreachable server fails the test.
 */
final class TestDatabase {

    static final String ADMIN_URL = System.getProperty("minqing.test.postgres-url",
            "jdbc:postgresql://127.0.0.1:5432/postgres");
    private static final Map<Path, String> DATABASES = new ConcurrentHashMap<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(TestDatabase::dropAll));
    }

    private TestDatabase() {
    }

    static boolean postgres() {
        return "postgresql".equals(System.getProperty("minqing.test.database"));
    }

    /** The datasource properties for a server on {@code dataDir}; none for H2. */
    static List<String> propertiesFor(Path dataDir) {
        if (!postgres()) {
            return List.of();
        }
        String database = databaseFor(dataDir);
        return List.of(
                "spring.datasource.url=" + ADMIN_URL.substring(0, ADMIN_URL.lastIndexOf('/') + 1) + database,
                "spring.datasource.username=postgres",
                "spring.datasource.password=");
    }

    /** The PostgreSQL database of a server on {@code dataDir}, created empty the first time. */
    static String databaseFor(Path dataDir) {
        return DATABASES.computeIfAbsent(dataDir, dir -> {
            String name = "minqing_test_" + UUID.randomUUID().toString().replace("-", "");
            admin("CREATE DATABASE " + name);
            return name;
        });
    }

    private static void dropAll() {
        DATABASES.values().forEach(name -> admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"));
    }

    private static void admin(String sql) {
        try (Connection connection = DriverManager.getConnection(ADMIN_URL, "postgres", "");
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + ADMIN_URL + ": " + sql + " failed", e);
        }
    }
}
