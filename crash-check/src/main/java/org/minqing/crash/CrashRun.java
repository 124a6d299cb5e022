package org.minqing.crash;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import org.minqing.api.v1.CaseCommandServiceGrpc;

/**
 * The crash test: lanes of partner traffic against the server, which is killed with SIGKILL
 * ({@link Process#destroyForcibly()} on Linux) at seeded random moments, 0.5–2.5 s after it answers
 * health checks, and restarted on the same data each time; after the last restart the lanes finish
 * what they have in flight and {@link CrashCheck} compares their acknowledgements with the log
 * and the read models.
 */
public final class CrashRun {

    /** Starts the server on the run's data (the same every time) with gRPC on 127.0.0.1:{@code port}. */
    public interface Launcher {
        Process launch(int port) throws Exception;
    }

    /**
     * @param killExitCodes the exit status of every killed server: 137 (128 + 9) is death by SIGKILL
     * @param stopExitCode  the exit status of the server stopped with SIGTERM under load after the
     *                      kills: 143 (128 + 15) when it shut down in its own time
     * @param seconds       wall time of the whole run, the check included
     */
    public record Result(long seed, int kills, int lanes, Ledger ledger, CrashCheck.Verdict verdict,
                         List<Integer> killExitCodes, int stopExitCode, double seconds) {

        public String summary() {
            return String.format("crash run (seed %d): %d kills, %d lanes, %d acknowledged commands on %d cases "
                            + "(%d retried after no answer, %d acknowledged ones resent): %d lost, %d applied twice, "
                            + "%d chains broken, %d cases' read models behind, %d refused; %.0f s",
                    seed, kills, lanes, verdict.acknowledged(), verdict.cases(), ledger.retriedUnanswered(),
                    ledger.resent(), verdict.lost().size(), verdict.appliedTwice().size(),
                    verdict.chainsBroken().size(), verdict.readModelsBehind().size(), ledger.refusals().size(),
                    seconds);
        }
    }

    private CrashRun() {
    }

    public static Result run(Launcher launcher, int kills, int lanes, long seed, PrintStream log) throws Exception {
        long started = System.nanoTime();
        log.printf("crash run: seed %d (repeat with the same seed to get the same kill moments), %d kills, %d lanes%n",
                seed, kills, lanes);
        Random random = new Random(seed);
        Ledger ledger = new Ledger();
        List<Integer> exitCodes = new ArrayList<>();
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(lanes);
        Server server = new Server();
        try {
            server.restart(launcher);
            List<Future<Void>> driving = new ArrayList<>();
            for (int lane = 0; lane < lanes; lane++) {
                driving.add(pool.submit(new CaseLane(lane, seed,
                        byDepartment -> byDepartment ? server.current().departmentCommands() : server.current().commands(),
                        running::get,
                        ledger)));
            }
            for (int kill = 1; kill <= kills; kill++) {
                int load = 500 + random.nextInt(2_001);
                Thread.sleep(load);
                int exit = server.kill();
                exitCodes.add(exit);
                long down = System.nanoTime();
                server.restart(launcher);
                log.printf("kill %d after %d ms of load: exited %d, %d commands acknowledged so far; serving again "
                        + "after %.1f s%n", kill, load, exit, ledger.acks().size(), (System.nanoTime() - down) / 1e9);
            }
            // Then a graceful stop under load (SIGTERM), as an operator's restart; the check below
            // covers what was acknowledged before it as well.
            Thread.sleep(500 + random.nextInt(1_001));
            int stopExit = server.stop();
            long down = System.nanoTime();
            server.restart(launcher);
            log.printf("stop (SIGTERM) under load: exited %d, %d commands acknowledged so far; serving again after "
                    + "%.1f s%n", stopExit, ledger.acks().size(), (System.nanoTime() - down) / 1e9);
            Thread.sleep(1_000); // load on the last start too, then the lanes finish what is in flight
            running.set(false);
            for (Future<Void> lane : driving) {
                lane.get(3, TimeUnit.MINUTES);
            }
            long checking = System.nanoTime();
            CrashCheck.Verdict verdict = new CrashCheck(server.current().channel()).check(ledger,
                    Duration.ofSeconds(30));
            log.printf("checked %d cases in %.1f s%n", verdict.cases(), (System.nanoTime() - checking) / 1e9);
            Result result = new Result(seed, kills, lanes, ledger, verdict, exitCodes, stopExit,
                    (System.nanoTime() - started) / 1e9);
            log.println(result.summary());
            return result;
        } finally {
            running.set(false);
            pool.shutdownNow();
            server.close();
        }
    }

    /** A free port on the loopback interface, for a server to bind. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** The server process running now and a channel to it; both replaced at every restart. */
    private static final class Server implements AutoCloseable {

        /** @param commands the dispatcher's stub; @param departmentCommands the handling department's */
        private record Running(Process process, ManagedChannel channel,
                               CaseCommandServiceGrpc.CaseCommandServiceBlockingStub commands,
                               CaseCommandServiceGrpc.CaseCommandServiceBlockingStub departmentCommands) {
        }

        private volatile Running running;

        Running current() {
            return running;
        }

        void restart(Launcher launcher) throws Exception {
            Running before = running;
            int port = freePort();
            Process process = launcher.launch(port);
            ManagedChannel channel = Grpc.newChannelBuilderForAddress("127.0.0.1", port,
                    InsecureChannelCredentials.create()).build();
            awaitServing(process, channel);
            running = new Running(process, channel,
                    CrashCheck.withKey(CaseCommandServiceGrpc.newBlockingStub(channel), CrashCheck.DEV_KEY),
                    CrashCheck.withKey(CaseCommandServiceGrpc.newBlockingStub(channel), CrashCheck.DEPARTMENT_KEY));
            if (before != null) {
                before.channel().shutdownNow();
            }
        }

        /** SIGKILL, no warning: returns the exit status. */
        int kill() throws InterruptedException {
            return end(running.process().destroyForcibly(), 30, "kill -9");
        }

        /** SIGTERM: the server finishes what is in flight and stops; returns the exit status. */
        int stop() throws InterruptedException {
            Process process = running.process();
            process.destroy();
            return end(process, 60, "SIGTERM");
        }

        private static int end(Process process, int seconds, String signal) throws InterruptedException {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                throw new IllegalStateException("server " + process.pid() + " still running " + seconds + " s after "
                        + signal);
            }
            return process.exitValue();
        }

        private static void awaitServing(Process process, ManagedChannel channel) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel);
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("server exited with " + process.exitValue() + " while starting");
                }
                // Without this, the channel's reconnect backoff (1 s, 1.6 s, 2.6 s …) after the first
                // refused connections adds seconds to every start.
                channel.resetConnectBackoff();
                try {
                    if (health.withDeadlineAfter(1, TimeUnit.SECONDS).check(HealthCheckRequest.getDefaultInstance())
                            .getStatus() == HealthCheckResponse.ServingStatus.SERVING) {
                        return;
                    }
                } catch (StatusRuntimeException notYet) {
                    // not listening yet
                }
                Thread.sleep(50);
            }
            throw new IllegalStateException("server not serving 2 minutes after launch");
        }

        @Override
        public void close() {
            Running last = running;
            if (last != null) {
                last.channel().shutdownNow();
                last.process().destroyForcibly();
            }
        }
    }
}
