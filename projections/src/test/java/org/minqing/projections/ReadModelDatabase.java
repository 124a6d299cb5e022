package org.minqing.projections;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * A fresh database with the read-model migrations applied: in-memory H2 by default; with
 * {@code -Dminqing.test.database=postgresql}, a new schema in the PostgreSQL at
 * {@code minqing.test.postgres-url} (default the local server's database {@code test}),
 * dropped when the test JVM exits.
 */
public final class ReadModelDatabase {

    private static final String POSTGRES_URL = System.getProperty("minqing.test.postgres-url",
            "jdbc:postgresql://127.0.0.1:5432/test");
    private static final List<String> SCHEMAS = new CopyOnWriteArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ReadModelDatabase::dropSchemas));
    }

    private ReadModelDatabase() {
    }

    public static DataSource create() {
        String name = "read_models_" + UUID.randomUUID().toString().replace("-", "");
        if ("postgresql".equals(System.getProperty("minqing.test.database"))) {
            new JdbcTemplate(new DriverManagerDataSource(POSTGRES_URL, "postgres", "")).execute("CREATE SCHEMA " + name);
            SCHEMAS.add(name);
            return migrated(new DriverManagerDataSource(POSTGRES_URL + "?currentSchema=" + name, "postgres", ""));
        }
        return migrated(new DriverManagerDataSource("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1", "sa", ""));
    }

    private static DataSource migrated(DataSource dataSource) {
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        return dataSource;
    }

    public static JdbcTemplate jdbc() {
        return new JdbcTemplate(create());
    }

    private static void dropSchemas() {
        if (SCHEMAS.isEmpty()) {
            return;
        }
        JdbcTemplate admin = new JdbcTemplate(new DriverManagerDataSource(POSTGRES_URL, "postgres", ""));
        SCHEMAS.forEach(schema -> admin.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE"));
    }
}
