package org.minqing.kurrentdb.testserver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.KeyManager;

import com.google.protobuf.ByteString;

import io.grpc.Server;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;

/**
 * An in-memory KurrentDB/EventStoreDB server speaking the real gRPC protocol (the stubs shipped
 * in the client jar) on a loopback port, for tests: the real client connects to it with
 * {@link #connectionString()}. It implements the {@code Streams} service's append and read
 * (stream and {@code $all} reads, catch-up subscriptions with server-side filters and their
 * checkpoints, a slow-scan mode over system noise); every other
 * service answers UNIMPLEMENTED, which the client tolerates for {@code ServerFeatures}.
 *
 * <p>It can be stopped and started again on the same port with its data kept, to test what
 * clients do while the store is down, and appends can be slowed down to test deadlines.
 */
public final class KurrentDbTestServer implements AutoCloseable {

    private final EventLog log = new EventLog(Clock.systemUTC());
    private final AppendConditions appends = new AppendConditions();
    private final AtomicReference<String> serverVersion = new AtomicReference<>();
    private final Leadership leadership = new Leadership();
    private final AtomicLong appendsApplied = new AtomicLong();
    private final AtomicLong subscriptionsToAll = new AtomicLong();
    private final Users users = new Users();
    private int port;
    private Server server;
    /** Set for a server that speaks TLS only ({@link #startWithTls}): its key, and the CA that signed it. */
    private KeyManager[] tlsKeys;
    private Path tlsCa;

    private KurrentDbTestServer() {
        // A real server's log starts with its own records: tracking must skip them.
        log.append("$stats-127.0.0.1:2113", Expected.of(Expected.Kind.ANY), List.of(new ProposedEvent(
                UUID.randomUUID(), Map.of("type", "$statsCollected", "content-type", "application/json"),
                ByteString.EMPTY, ByteString.copyFromUtf8("{}"))));
    }

    /** Starts a server on a free loopback port. */
    public static KurrentDbTestServer start() {
        KurrentDbTestServer testServer = new KurrentDbTestServer();
        testServer.startServing();
        return testServer;
    }

    /**
     * Starts a server that speaks only TLS, as a real server does by default: a test CA made in
     * {@code dir} signs its certificate for 127.0.0.1 and localhost, and {@link #connectionString()}
     * names the CA's certificate ({@code tlsCaFile}) for the client to verify it with.
     */
    public static KurrentDbTestServer startWithTls(Path dir) {
        KurrentDbTestServer testServer = new KurrentDbTestServer();
        try {
            TestCertificates certificates = TestCertificates.create(dir);
            testServer.tlsKeys = TestCertificates.keyManagers(certificates.issue("kurrentdb", "CN=127.0.0.1",
                    "san=ip:127.0.0.1,dns:localhost"));
            testServer.tlsCa = certificates.caPem();
        } catch (Exception e) {
            throw new IllegalStateException("cannot make the test server's certificate in " + dir, e);
        }
        testServer.startServing();
        return testServer;
    }

    /** Starts serving again after {@link #stop()}, on the same port, with the same events. */
    public synchronized void startServing() {
        if (server != null) {
            return;
        }
        try {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            server = (tlsKeys == null ? NettyServerBuilder.forAddress(address)
                    : NettyServerBuilder.forAddress(address, TlsServerCredentials.newBuilder().keyManager(tlsKeys).build()))
                    .addService(io.grpc.ServerInterceptors.intercept(
                            new StreamsService(log, appends, appendsApplied, subscriptionsToAll),
                            users, leadership))
                    .addService(new ServerFeaturesService(serverVersion))
                    .build()
                    .start();
            port = server.getPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on port " + port, e);
        }
    }

    /** Stops serving, abruptly as a crashed node would: open calls and subscriptions fail. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        server.shutdownNow();
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server = null;
    }

    /** Makes every append wait this long before it is applied (zero to stop), to test client deadlines. */
    public void delayAppends(Duration delay) {
        appends.delay.set(delay);
    }

    /**
     * The most bytes of events' data and custom metadata one append may carry (1 MiB by default, as
     * a real server's {@code MaxAppendSize}); a larger one is refused as a real server refuses it.
     */
    public void maxAppendSize(int bytes) {
        appends.maxSize.set(bytes);
    }

    /**
     * Makes this node a follower of the server on {@code leaderPort} (on loopback), or the leader
     * again (0): calls that require the leader — every call of a client preferring the leader, the
     * default — are refused with the leader's endpoint, and the client reconnects to it.
     */
    public void followerOf(int leaderPort) {
        leadership.follow(leaderPort == 0 ? null : new InetSocketAddress("127.0.0.1", leaderPort));
    }

    /**
     * The version {@code ServerFeatures} reports (e.g. {@code "24.10.1"}); null, the default, for a
     * server that does not say (UNIMPLEMENTED). Clients read it once, on connecting.
     */
    public void serverVersion(String version) {
        serverVersion.set(version);
    }

    /** Applies the next {@code count} appends but never answers them, as when the connection drops after a write. */
    public void loseAnswers(int count) {
        appends.loseAnswers(count);
    }

    /**
     * Leaves a resent append unanswered (true) where it would answer that its events are already
     * written: what a real server does with a resend whose original it has not yet replicated to a
     * quorum — the client hears nothing and times out although the write lands.
     */
    public void dropResends(boolean drop) {
        appends.dropResends.set(drop);
    }

    /**
     * Slow-scan mode: every filtered subscription spends this long on each record it scans, as a
     * real server reading a long log from disk does (zero, the default: an in-memory scan). With
     * {@link #appendNoise}, a run of records no filter wants takes a client-visible time to pass,
     * during which only checkpoints arrive.
     */
    public void scanCost(Duration perRecord) {
        log.scanCost(perRecord);
    }

    /**
     * Appends {@code count} system records, as a real server's own streams fill its log (statistics
     * every 30 s, projections' emitted and link events): what a filter on the application's streams
     * has to scan past.
     */
    public void appendNoise(int count) {
        List<ProposedEvent> stats = new java.util.ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            stats.add(new ProposedEvent(UUID.randomUUID(), Map.of("type", "$statsCollected", "content-type",
                    "application/json"), ByteString.EMPTY, ByteString.copyFromUtf8("{}")));
        }
        log.append("$stats-127.0.0.1:2113", Expected.of(Expected.Kind.ANY), stats);
    }

    /**
     * Sets the server's clock this far from the machine's (its records' {@code created} times), as
     * on a node whose clock is not the application's.
     */
    public void clockOffset(Duration offset) {
        log.clock(Clock.offset(Clock.systemUTC(), offset));
    }

    /**
     * Requires credentials from now on: this user (and any others added) must be named with its
     * password in every call, and only an administrator may read or subscribe to {@code $all}.
     */
    public void requireUser(String name, String password, boolean admin) {
        users.add(name, password, admin);
    }

    /** Appends applied to the log so far (succeeded or refused), including ones whose caller gave up waiting. */
    public long appendsApplied() {
        return appendsApplied.get();
    }

    /** How many subscriptions to {@code $all} this server has started (a client that re-subscribes often shows here). */
    public long subscriptionsToAll() {
        return subscriptionsToAll.get();
    }

    public int port() {
        return port;
    }

    /**
     * How the KurrentDB client reaches this server: one node, quick to give up while it is down;
     * plaintext, or TLS verified with the test CA's certificate for a server {@link #startWithTls started so}.
     */
    public String connectionString() {
        String tls = tlsCa == null ? "tls=false" : "tls=true&tlsCaFile=" + tlsCa;
        return "kurrentdb://127.0.0.1:" + port + "?" + tls
                + "&maxDiscoverAttempts=3&discoveryInterval=100&gossipTimeout=1000";
    }

    @Override
    public void close() {
        stop();
    }

    // ---- test-only tampering: what an operator with direct access to the storage could do ----

    /** Replaces the data of the event at {@code revision} of {@code stream}. */
    public void tamperReplaceData(String stream, long revision, byte[] data) {
        log.tamper(stream, records -> {
            Recorded r = records.get((int) revision);
            records.set((int) revision, new Recorded(r.stream(), r.revision(), r.id(), r.position(), r.next(),
                    r.systemMetadata(), r.customMetadata(), com.google.protobuf.ByteString.copyFrom(data)));
            return records;
        });
    }

    /** Removes the event at {@code revision}; the later events move up one revision. */
    public void tamperRemove(String stream, long revision) {
        log.tamper(stream, records -> {
            records.remove((int) revision);
            return records;
        });
    }

    /** Swaps the events at {@code revision} and the next revision. */
    public void tamperSwap(String stream, long revision) {
        log.tamper(stream, records -> {
            java.util.Collections.swap(records, (int) revision, (int) revision + 1);
            return records;
        });
    }

    /** Inserts a JSON event at {@code revision}; the events from there move down one revision. */
    public void tamperInsert(String stream, long revision, java.util.UUID id, String type, byte[] data,
                             byte[] metadata) {
        log.tamper(stream, records -> {
            java.util.Map<String, String> system = new java.util.HashMap<>(records.get((int) revision).systemMetadata());
            system.put("type", type);
            records.add((int) revision, new Recorded(stream, revision, id, -1, -1, java.util.Map.copyOf(system),
                    com.google.protobuf.ByteString.copyFrom(metadata), com.google.protobuf.ByteString.copyFrom(data)));
            return records;
        });
    }
}
