package org.minqing.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Facts about the machine, JVM and working copy, recorded with every result. */
final class Machine {

    private Machine() {
    }

    /** The java binary running the harness: the server runs on the same JVM. */
    static String javaBinary() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    static String describe() {
        return "machine: " + Runtime.getRuntime().availableProcessors() + " CPUs (nproc), "
                + memTotal() + " RAM, " + cpuModel() + "; load average at start " + loadAverage()
                + "\n- JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + " (server and harness alike; server without heap limit)"
                + "\n- commit: " + git();
    }

    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "?";
        }
    }

    private static String memTotal() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    long kib = Long.parseLong(line.replaceAll("\\D", ""));
                    return String.format("%.1f GiB", kib / 1024.0 / 1024.0);
                }
            }
        } catch (IOException ignored) {
            // not Linux
        }
        return "? GiB";
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException ignored) {
            // not Linux
        }
        return "unknown CPU";
    }

    private static String git() {
        String head = run("git", "rev-parse", "--short", "HEAD");
        String dirty = run("git", "status", "--porcelain", "--untracked-files=no");
        return head.isEmpty() ? "unknown" : head + (dirty.isEmpty() ? "" : " (with uncommitted changes)");
    }

    private static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : "";
        } catch (IOException | InterruptedException e) {
            return "";
        }
    }
}
