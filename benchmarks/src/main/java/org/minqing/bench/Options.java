package org.minqing.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.minqing.kurrentdb.testserver.KurrentDbTestServer;

/** {@code --name=value} arguments with defaults; the paths are relative to the repository root. */
final class Options {

    private final Map<String, String> values = new HashMap<>();

    Options(List<String> args) {
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("expected --name=value, got " + arg);
            }
            values.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
    }

    String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    double number(String name, double fallback) {
        return values.containsKey(name) ? Double.parseDouble(values.get(name)) : fallback;
    }

    long count(String name, long fallback) {
        return values.containsKey(name) ? Long.parseLong(values.get(name).replace("_", "")) : fallback;
    }

    int[] ints(String name, String fallback) {
        return Arrays.stream(get(name, fallback).split(",")).mapToInt(Integer::parseInt).toArray();
    }

    double[] numbers(String name, String fallback) {
        return Arrays.stream(get(name, fallback).split(",")).mapToDouble(Double::parseDouble).toArray();
    }

    boolean flag(String name) {
        return Boolean.parseBoolean(get(name, "false"));
    }

    Path serverJar() {
        return Path.of(get("server-jar", "server/target/minqing.jar"));
    }

    Path docs() {
        return Path.of(get("docs", "docs/benchmarks.md"));
    }

    long seed() {
        return count("seed", 20261121);
    }

    private KurrentDbTestServer kurrentDb;
    private String postgresDatabase;

    /**
     * The server properties that select the store, then those of {@code --server-properties=a=b;c=d}:
     * none for the embedded store (the default); with {@code --engine=kurrentdb}, the KurrentDB
     * engine against the protocol test server, started here in the harness (in memory) — its
     * figures are the engine's and the client's, not an EventStoreDB server's; with
     * {@code --engine=postgresql}, everything in a new database on the PostgreSQL server at
     * {@code --postgres-url} (default jdbc:postgresql://127.0.0.1:5432/, user postgres, trust),
     * dropped when the harness exits.
     */
    synchronized List<String> engineProperties() {
        List<String> properties = new java.util.ArrayList<>();
        switch (get("engine", "jdbc")) {
            case "jdbc" -> { }
            case "kurrentdb" -> properties.addAll(List.of("minqing.event-store.engine=kurrentdb",
                    "minqing.event-store.kurrentdb.connection-string=" + kurrentDbConnectionString()));
            case "postgresql" -> properties.addAll(List.of("spring.datasource.url=" + postgresDatabase(),
                    "spring.datasource.username=postgres", "spring.datasource.password="));
            default -> throw new IllegalArgumentException(
                    "--engine must be jdbc, kurrentdb or postgresql, was " + get("engine", ""));
        }
        String extra = get("server-properties", "");
        if (!extra.isBlank()) {
            properties.addAll(Arrays.asList(extra.split(";")));
        }
        return properties;
    }

    /** Whether {@code --engine=kurrentdb} was given. */
    boolean kurrentDb() {
        return get("engine", "jdbc").equals("kurrentdb");
    }

    private String postgresDatabase() {
        if (postgresDatabase == null) {
            String server = get("postgres-url", "jdbc:postgresql://127.0.0.1:5432/");
            String name = "minqing_bench_" + java.util.UUID.randomUUID().toString().replace("-", "");
            postgresAdmin(server, "CREATE DATABASE " + name);
            Runtime.getRuntime().addShutdownHook(new Thread(
                    () -> postgresAdmin(server, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")));
            postgresDatabase = server + name;
        }
        return postgresDatabase;
    }

    private static void postgresAdmin(String server, String sql) {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(server + "postgres", "postgres", "");
             java.sql.Statement statement = c.createStatement()) {
            statement.execute(sql);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + server + ": " + e.getMessage(), e);
        }
    }

    /** The harness's KurrentDB protocol test server, started on first use. */
    synchronized String kurrentDbConnectionString() {
        if (kurrentDb == null) {
            kurrentDb = KurrentDbTestServer.start();
            Runtime.getRuntime().addShutdownHook(new Thread(kurrentDb::close));
        }
        return kurrentDb.connectionString();
    }

    /** How the report names the store. */
    String engineLabel() {
        String label = switch (get("engine", "jdbc")) {
            case "kurrentdb" -> "KurrentDB engine via the protocol TEST SERVER (in memory, not EventStoreDB's figures); "
                    + "SQL (tokens, read models, request ids) on the H2 file";
            case "postgresql" -> "PostgreSQL (local server: JDBC engine, tokens, read models, request ids)";
            default -> "embedded store (JDBC engine on the H2 file)";
        };
        String extra = get("server-properties", "");
        return extra.isBlank() ? label : label + "; server properties " + extra;
    }
}
