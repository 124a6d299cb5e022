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

    /**
     * The server properties that select the event store: none for the embedded store (the
     * default); with {@code --engine=kurrentdb}, the KurrentDB engine against the protocol test
     * server, started here in the harness (in memory) — its figures are the engine's and the
     * client's, not an EventStoreDB server's.
     */
    synchronized List<String> engineProperties() {
        String engine = get("engine", "jdbc");
        if (engine.equals("jdbc")) {
            return List.of();
        }
        if (!engine.equals("kurrentdb")) {
            throw new IllegalArgumentException("--engine must be jdbc or kurrentdb, was " + engine);
        }
        return List.of("minqing.event-store.engine=kurrentdb",
                "minqing.event-store.kurrentdb.connection-string=" + kurrentDbConnectionString());
    }

    /** Whether {@code --engine=kurrentdb} was given. */
    boolean kurrentDb() {
        return !engineProperties().isEmpty();
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
        return get("engine", "jdbc").equals("kurrentdb")
                ? "KurrentDB engine via the protocol TEST SERVER (in memory, not EventStoreDB's figures); "
                        + "SQL (tokens, read models, request ids) on the H2 file"
                : "embedded store (JDBC engine on the H2 file)";
    }
}
