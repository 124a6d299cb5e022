package org.minqing.server.audit;

import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.TypeRegistry;
import com.google.protobuf.util.JsonFormat;
import io.grpc.Grpc;
import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import org.minqing.api.v1.AuditServiceGrpc;
import org.minqing.api.v1.AuditedEvent;
import org.minqing.api.v1.CaseVerification;
import org.minqing.api.v1.EventsProto;
import org.minqing.api.v1.ExportLogRequest;
import org.minqing.api.v1.VerifyCaseRequest;
import org.minqing.command.audit.merkle.Checkpoint;
import org.minqing.command.audit.merkle.NoteKeys;
import org.minqing.command.store.chain.ChainBreak;

/**
 * The auditor's command line, {@code java -jar minqing.jar audit …}: no Spring, just a gRPC client
 * of a running server (or none, for files). Exit status 0 = intact, 1 = a chain is broken, 2 =
 * usage or connection error.
 *
 * <pre>
 * audit verify --case ID | --all   [CONNECTION]
 * audit export --out FILE [--resume] [CONNECTION]
 * audit verify-file FILE [--checkpoint NOTE --log-key VKEY [CONNECTION: to locate a difference]]
 * audit keygen --name ORIGIN
 * audit checkpoint --log-key VKEY [--new] [--out NOTE] [CONNECTION]
 * audit prove --case ID --revision N --checkpoint NOTE --log-key VKEY [CONNECTION]
 * audit consistency --old NOTE --new-checkpoint NOTE --log-key VKEY [CONNECTION]
 * CONNECTION: [--target HOST:PORT] [--api-key KEY] [--tls] [--ca CA.pem] [--cert CERT.pem --key KEY.pem]
 * </pre>
 * The API key defaults to the environment variable MINQING_API_KEY, the target to 127.0.0.1:9090.
 * {@code --tls} speaks TLS, trusting the system's CAs or, with {@code --ca}, that CA (which implies
 * TLS); {@code --cert}/{@code --key} present a client certificate (PEM, PKCS#8 key) instead of a key.
 */
public final class AuditCli {

    private static final TypeRegistry EVENTS = TypeRegistry.newBuilder().add(EventsProto.getDescriptor().getMessageTypes()).build();
    static final JsonFormat.Printer LINE = JsonFormat.printer().usingTypeRegistry(EVENTS).omittingInsignificantWhitespace();
    static final JsonFormat.Parser PARSER = JsonFormat.parser().usingTypeRegistry(EVENTS).ignoringUnknownFields();
    private static final int PROGRESS_EVERY = 10_000;

    private final PrintStream out;
    private final PrintStream err;
    private final CheckpointCommands checkpoints;

    public AuditCli(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
        this.checkpoints = new CheckpointCommands(out, err);
    }

    public static void main(String[] args) {
        System.exit(new AuditCli(System.out, System.err).run(args));
    }

    public int run(String... args) {
        Map<String, String> options = new HashMap<>();
        String command = args.length > 0 ? args[0] : "";
        String file = null;
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--all") || args[i].equals("--resume") || args[i].equals("--tls") || args[i].equals("--new")) {
                options.put(args[i], "true");
            } else if (args[i].startsWith("--") && i + 1 < args.length) {
                options.put(args[i], args[++i]);
            } else {
                file = args[i];
            }
        }
        try {
            return switch (command) {
                case "verify" -> options.containsKey("--case") ? verifyCase(options) : options.containsKey("--all")
                        ? verifyAll(options) : usage();
                case "export" -> options.containsKey("--out") ? export(options) : usage();
                case "verify-file" -> file != null ? verifyFile(Path.of(file), options) : usage();
                case "keygen" -> options.containsKey("--name") ? checkpoints.keygen(options.get("--name")) : usage();
                case "checkpoint" -> withLogKey(options, (server, key) -> checkpoints.checkpoint(server.audit, key,
                        options.containsKey("--new"), options.containsKey("--out") ? Path.of(options.get("--out")) : null));
                case "prove" -> options.containsKey("--case") && options.containsKey("--revision")
                        && options.containsKey("--checkpoint")
                        ? withLogKey(options, (server, key) -> checkpoints.prove(server.audit, key,
                        Path.of(options.get("--checkpoint")), options.get("--case"), Long.parseLong(options.get("--revision"))))
                        : usage();
                case "consistency" -> options.containsKey("--old") && options.containsKey("--new-checkpoint")
                        ? withLogKey(options, (server, key) -> checkpoints.consistency(server.audit, key,
                        Path.of(options.get("--old")), Path.of(options.get("--new-checkpoint"))))
                        : usage();
                default -> usage();
            };
        } catch (NumberFormatException e) {
            err.println("not a number: " + e.getMessage());
            return 2;
        } catch (StatusRuntimeException e) {
            err.println("the server answered " + e.getStatus().getCode() + ": " + e.getStatus().getDescription());
            return 2;
        } catch (IOException e) {
            err.println("cannot read or write " + e.getMessage());
            return 2;
        }
    }

    private int usage() {
        err.println("""
                usage: audit verify --case ID | --all   [CONNECTION]
                       audit export --out FILE [--resume] [CONNECTION]
                       audit verify-file FILE [--checkpoint NOTE --log-key VKEY [CONNECTION]]
                       audit keygen --name ORIGIN
                       audit checkpoint --log-key VKEY [--new] [--out NOTE] [CONNECTION]
                       audit prove --case ID --revision N --checkpoint NOTE --log-key VKEY [CONNECTION]
                       audit consistency --old NOTE --new-checkpoint NOTE --log-key VKEY [CONNECTION]
                VKEY: the checkpoints' verifier key as the operator published it (name+id+key)
                CONNECTION: [--target HOST:PORT] [--api-key KEY] [--tls] [--ca CA.pem] [--cert CERT.pem --key KEY.pem]""");
        return 2;
    }

    private int verifyCase(Map<String, String> options) throws IOException {
        try (Connection server = Connection.open(options)) {
            CaseVerification verification = server.audit.verifyCase(
                    VerifyCaseRequest.newBuilder().setName("cases/" + options.get("--case")).build());
            if (verification.getIntact()) {
                out.printf("cases/%s: intact, %d events, head %s%n", options.get("--case"), verification.getEvents(),
                        verification.getHeadHash());
                return 0;
            }
            org.minqing.api.v1.ChainBreak first = verification.getFirstBreak();
            out.println(brokenLine(options.get("--case"), first.getSequence(),
                    first.getKind().name().replace("CHAIN_BREAK_KIND_", ""), first.getEventId(), first.getDetail(), 0)
                    + String.format(" [%d of %d events verified]", verification.getVerifiedEvents(), verification.getEvents()));
            return 1;
        }
    }

    /** Streams the whole log from the server and verifies it here: the server's word is not needed. */
    private int verifyAll(Map<String, String> options) throws IOException {
        LogVerifier verifier = new LogVerifier();
        long started = System.nanoTime();
        try (Connection server = Connection.open(options)) {
            Iterator<AuditedEvent> log = server.audit.exportLog(ExportLogRequest.getDefaultInstance());
            while (log.hasNext()) {
                verifier.accept(log.next());
                progress(verifier);
            }
        }
        return summary(verifier, started);
    }

    private int export(Map<String, String> options) throws IOException {
        Path file = Path.of(options.get("--out"));
        String after = options.containsKey("--resume") && Files.exists(file) ? lastPosition(file) : "";
        long written = 0;
        String last = after;
        try (Connection server = Connection.open(options);
             BufferedWriter lines = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                     after.isEmpty() ? StandardOpenOption.TRUNCATE_EXISTING : StandardOpenOption.APPEND)) {
            Iterator<AuditedEvent> log = server.audit.exportLog(ExportLogRequest.newBuilder().setAfter(after).build());
            try {
                while (log.hasNext()) {
                    AuditedEvent event = log.next();
                    lines.write(LINE.print(event));
                    lines.newLine();
                    last = event.getPosition();
                    if (++written % PROGRESS_EVERY == 0) {
                        err.printf("\rexported %,d events", written);
                    }
                }
            } catch (StatusRuntimeException e) {
                lines.flush();
                err.printf("%nexport interrupted after %,d events (%s); run again with --resume to continue after %s%n",
                        written, e.getStatus().getCode(), last);
                return 2;
            }
        }
        out.printf("exported %,d events to %s; last position %s%n", written, file, last.isEmpty() ? "(none)" : last);
        return 0;
    }

    private int verifyFile(Path file, Map<String, String> options) throws IOException {
        Checkpoint checkpoint = null;
        if (options.containsKey("--checkpoint")) {
            NoteKeys.Verifier key = logKey(options);
            if (key == null) {
                return 2;
            }
            checkpoint = checkpoints.open(Files.readString(Path.of(options.get("--checkpoint")), StandardCharsets.UTF_8), key);
            if (checkpoint == null) {
                return 1;
            }
        }
        boolean locate = checkpoint != null && options.containsKey("--target");
        LogVerifier verifier = new LogVerifier(checkpoint == null ? 0 : checkpoint.size(), locate);
        long started = System.nanoTime();
        ExportLine[] unreadable = new ExportLine[1];
        ExportFile.read(file, line -> {
            if (line.error() != null) {
                unreadable[0] = line;
                return false;
            }
            if (!line.blank()) {
                verifier.accept(line);
                progress(verifier);
            }
            return true;
        });
        if (unreadable[0] != null) {
            err.printf("line %d is not an exported event: %s%n", unreadable[0].line(), unreadable[0].error());
            return 2;
        }
        int chains = summary(verifier, started);
        return checkpoint == null ? chains : Math.max(chains, againstCheckpoint(verifier, checkpoint, file, options));
    }

    /**
     * Whether the export's first events are what the checkpoint committed to, in that order; given
     * a server ({@code --target}), where they stop being so.
     */
    private int againstCheckpoint(LogVerifier verifier, Checkpoint checkpoint, Path file, Map<String, String> options)
            throws IOException {
        if (verifier.rootAtCheckpoint() == null) {
            out.printf("checkpoint %,d: the export holds only %,d events: events the checkpoint commits to are MISSING%n",
                    checkpoint.size(), verifier.events());
        } else if (!java.util.Arrays.equals(verifier.rootAtCheckpoint(), checkpoint.root())) {
            out.printf("checkpoint %,d: the export's first %,d events do NOT give its root: an event it commits to"
                    + " was changed, removed, inserted or moved since it was signed%n", checkpoint.size(), checkpoint.size());
        } else {
            out.printf("checkpoint %,d: the export's first %,d events are the ones it commits to%n", checkpoint.size(),
                    checkpoint.size());
            return 0;
        }
        if (verifier.leaves() == null) {
            out.println("(give --target and --api-key to locate the first event that differs, with the server's proofs)");
            return 1;
        }
        long matching;
        try (Connection server = Connection.open(options)) {
            matching = checkpoints.matchingPrefix(server.audit, checkpoint, verifier.leaves());
        } catch (StatusRuntimeException e) {
            out.println("cannot locate it: the server answered " + e.getStatus().getCode() + ": "
                    + e.getStatus().getDescription());
            return 1;
        }
        ExportTree leaves = verifier.leaves();
        if (matching == leaves.size()) {
            out.printf("located: the export's %,d events are the checkpoint's first %,d; its events %,d..%,d are MISSING"
                    + " from the export%n", matching, matching, matching + 1, checkpoint.size());
            return 1;
        }
        long line = leaves.lineOf(matching);
        AuditedEvent differing = eventAt(file, line);
        out.printf("located: the export's first %,d events are the checkpoint's (proven); event %,d of the log, line %,d"
                + " (cases/%s revision %d), is the first that differs from what the checkpoint commits to%n",
                matching, matching + 1, line, differing.getCaseId(), differing.getSequence() + 1);
        return 1;
    }

    private static AuditedEvent eventAt(Path file, long line) throws IOException {
        try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
            AuditedEvent.Builder event = AuditedEvent.newBuilder();
            PARSER.merge(lines.skip(line - 1).findFirst().orElseThrow(), event);
            return event.build();
        }
    }

    private interface LogKeyCommand {
        int run(Connection server, NoteKeys.Verifier key) throws IOException;
    }

    private int withLogKey(Map<String, String> options, LogKeyCommand command) throws IOException {
        NoteKeys.Verifier key = logKey(options);
        if (key == null) {
            return 2;
        }
        try (Connection server = Connection.open(options)) {
            return command.run(server, key);
        }
    }

    private NoteKeys.Verifier logKey(Map<String, String> options) {
        if (!options.containsKey("--log-key")) {
            err.println("--log-key: the checkpoints' verifier key as the operator published it");
            return null;
        }
        try {
            return NoteKeys.parseVerifier(options.get("--log-key"));
        } catch (IllegalArgumentException e) {
            err.println("--log-key: " + e.getMessage());
            return null;
        }
    }

    private void progress(LogVerifier verifier) {
        if (verifier.events() % PROGRESS_EVERY == 0) {
            err.printf("\rverified %,d events in %,d cases", verifier.events(), verifier.cases());
        }
    }

    private int summary(LogVerifier verifier, long started) {
        double seconds = (System.nanoTime() - started) / 1e9;
        Map<String, ChainBreak> broken = verifier.broken();
        err.println();
        broken.forEach((caseId, first) -> out.println(brokenLine(caseId, first.sequence(), first.kind().name(),
                first.eventId(), first.detail(), verifier.lineOfBreak(caseId))));
        out.printf("%,d events in %,d cases: %,d intact, %,d broken (%.1f s, %,.0f events/s)%n", verifier.events(),
                verifier.cases(), verifier.cases() - broken.size(), broken.size(), seconds,
                verifier.events() / Math.max(seconds, 1e-9));
        return broken.isEmpty() ? 0 : 1;
    }

    /**
     * One broken case, the same words wherever it is found: the revision (1-based, as the API
     * counts) and the sequence (0-based, as the chain counts), the kind, the event, and the
     * NDJSON line the break was found at when read from a file.
     */
    static String brokenLine(String caseId, long sequence, String kind, String eventId, String detail, long line) {
        return String.format("cases/%s: BROKEN at revision %d (sequence %d): %s, event %s%s: %s", caseId, sequence + 1,
                sequence, kind, eventId == null || eventId.isEmpty() ? "(none)" : eventId,
                line > 0 ? ", found at line " + line : "", detail);
    }

    private static String lastPosition(Path file) throws IOException {
        List<String> tail;
        try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
            tail = lines.filter(line -> !line.isBlank()).reduce((a, b) -> b).map(List::of).orElse(List.of());
        }
        if (tail.isEmpty()) {
            return "";
        }
        AuditedEvent.Builder last = AuditedEvent.newBuilder();
        PARSER.merge(tail.get(0), last);
        return last.getPosition();
    }

    /** A channel to the server (plaintext or TLS) with the auditor's API key on every call. */
    private record Connection(ManagedChannel channel, AuditServiceGrpc.AuditServiceBlockingStub audit)
            implements AutoCloseable {

        static Connection open(Map<String, String> options) throws IOException {
            ManagedChannel channel = Grpc.newChannelBuilder(options.getOrDefault("--target", "127.0.0.1:9090"),
                    credentials(options)).build();
            Metadata headers = new Metadata();
            String key = options.getOrDefault("--api-key", System.getenv("MINQING_API_KEY"));
            if (key != null) {
                headers.put(Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER), key);
            }
            return new Connection(channel, AuditServiceGrpc.newBlockingStub(channel)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers)));
        }

        private static ChannelCredentials credentials(Map<String, String> options) throws IOException {
            if (!options.containsKey("--tls") && !options.containsKey("--ca") && !options.containsKey("--cert")) {
                return InsecureChannelCredentials.create();
            }
            TlsChannelCredentials.Builder tls = TlsChannelCredentials.newBuilder();
            if (options.containsKey("--ca")) {
                tls.trustManager(new File(options.get("--ca")));
            }
            if (options.containsKey("--cert")) {
                tls.keyManager(new File(options.get("--cert")), new File(options.getOrDefault("--key", "")));
            }
            return tls.build();
        }

        @Override
        public void close() {
            channel.shutdownNow();
            try {
                channel.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
