package org.minqing.bench;

import java.io.BufferedWriter;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import com.google.protobuf.Message;
import com.google.protobuf.TypeRegistry;
import com.google.protobuf.util.JsonFormat;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.minqing.api.v1.AuditedEvent;
import org.minqing.api.v1.EventsProto;
import org.minqing.command.audit.CaseAudit;
import org.minqing.command.audit.merkle.Checkpoint;
import org.minqing.command.audit.merkle.MerkleLog;
import org.minqing.command.audit.merkle.NoteKeys;
import org.minqing.command.deadlines.DeadlinePolicy;
import org.minqing.command.store.EventStoreConfiguration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The audit path at scale, in this process on the embedded store (no server): {@code --events}
 * chained events appended raw (the ceiling the tree is compared with), the Merkle log grown over
 * them by the server's own code, inclusion proofs against the full tree, and an export verified
 * offline by the auditor's CLI ({@code bin/minqing audit verify-file} from the distribution archive,
 * a process of its own, start-up included and also taken out, and its rate once warm), chains and
 * checkpoint, against reading the same file's lines.
 */
final class AuditScenario {

    /** The export's form: protobuf JSON of AuditedEvent, one per line, as the CLI writes it. */
    private static final TypeRegistry EVENTS = TypeRegistry.newBuilder().add(EventsProto.getDescriptor().getMessageTypes()).build();
    private static final JsonFormat.Printer LINE = JsonFormat.printer().usingTypeRegistry(EVENTS).omittingInsignificantWhitespace();
    private static final JsonFormat.Parser PARSER = JsonFormat.parser().usingTypeRegistry(EVENTS).ignoringUnknownFields();

    private final Options options;
    private final Path work;

    AuditScenario(Options options, Path work) {
        this.options = options;
        this.work = work;
    }

    void run(String command) throws Exception {
        int events = (int) options.count("events", 1_000_000);
        long seed = options.seed();
        Report report = new Report("Audit: the Merkle log, proofs and offline verification", command);
        report.note("store: embedded (JDBC engine on an H2 file), in the harness process; " + events + " events, "
                + "cases of 12 (a report, an acceptance, notes)");
        Path dataDir = work.resolve("audit");
        Path export = work.resolve("log.ndjson");
        NoteKeys.Signer signer = NoteKeys.generate("bench.minqing/audit");
        Path note = work.resolve("checkpoint.note");
        try (Store store = Store.open(dataDir)) {
            double appended = append(store, seed, events);
            JdbcTemplate jdbc = new JdbcTemplate(store.dataSource);
            EventStoreConfiguration common = new EventStoreConfiguration();
            CaseAudit audit = new CaseAudit(store.engine, common.eventSerializer(common.serializer()), DeadlinePolicy.defaults());
            MerkleLog merkleLog = new MerkleLog(jdbc, new TransactionTemplate(new DataSourceTransactionManager(store.dataSource)),
                    audit, Duration.ZERO);
            long start = System.nanoTime();
            while (merkleLog.extend(Instant.now().plusSeconds(3600)) > 0) {
                // a round takes up to 10,000 events
            }
            double built = events / seconds(start);
            Report.Table growth = report.table("Writing and growing the tree", "what", "events/s", "ratio to the raw append");
            growth.row("raw append, 1,000 events per transaction (ceiling)", Math.round(appended), "1");
            growth.row("Merkle log grown over them (read the log, hash, store leaves and nodes)", Math.round(built),
                    String.format("%.2f", built / appended));
            growth.end();

            long size = merkleLog.size();
            SplittableRandom random = new SplittableRandom(seed);
            for (int i = 0; i < 50; i++) { // warm-up
                merkleLog.inclusionProof(random.nextLong(size), size);
            }
            long[] micros = new long[1000];
            for (int i = 0; i < micros.length; i++) {
                long at = System.nanoTime();
                merkleLog.inclusionProof(random.nextLong(size), size);
                micros[i] = (System.nanoTime() - at) / 1000;
            }
            Arrays.sort(micros);
            Report.Table proofs = report.table("Inclusion proofs against the tree of " + size + " leaves (1,000 random leaves, "
                    + "read from the stored nodes in one query)", "p50 ms", "p99 ms", "max ms");
            proofs.row(micros[500] / 1000.0, micros[990] / 1000.0, micros[999] / 1000.0);
            proofs.end();

            try (Stream<AuditedEvent> log = audit.log(""); BufferedWriter out = Files.newBufferedWriter(export)) {
                for (AuditedEvent event : (Iterable<AuditedEvent>) log::iterator) {
                    out.write(LINE.print(event));
                    out.newLine();
                }
            }
            Files.writeString(note, Checkpoint.sign(signer, signer.name(), size, merkleLog.root(size)).note());
        }
        // Verified once the store is closed: the auditor's machine runs nothing else.
        long readStart = System.nanoTime();
        long lines = 0;
        try (java.io.InputStream in = Files.newInputStream(export)) {
            byte[] buffer = new byte[1 << 20];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        lines++;
                    }
                }
            }
        }
        double readRate = lines / seconds(readStart);
        long parseStart = System.nanoTime();
        long parsed = 0;
        try (BufferedReader reader = Files.newBufferedReader(export, StandardCharsets.UTF_8)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                AuditedEvent.Builder event = AuditedEvent.newBuilder();
                PARSER.merge(line, event);
                parsed++;
            }
        }
        double parseRate = parsed / seconds(parseStart);
        Path script = distribution().resolve("bin/minqing");
        long startupStart = System.nanoTime();
        Process usage = new ProcessBuilder("sh", script.toString(), "audit").redirectErrorStream(true).start();
        usage.getInputStream().readAllBytes();
        usage.waitFor();
        double startup = seconds(startupStart);
        long verifyStart = System.nanoTime();
        Process cli = new ProcessBuilder("sh", script.toString(), "audit", "verify-file",
                export.toString(), "--checkpoint", note.toString(), "--log-key", signer.verifier().text())
                .redirectErrorStream(true).start();
        Progress progress = Progress.read(cli.getInputStream(), events / 5);
        int status = cli.waitFor();
        double verifySeconds = seconds(verifyStart);
        double verifyRate = events / verifySeconds;
        if (status != 0) {
            throw new IllegalStateException("the export did not verify: " + progress.output());
        }
        Report.Table offline = report.table("Offline verification of the export (" + Files.size(export) / (1 << 20)
                + " MiB NDJSON, " + Runtime.getRuntime().availableProcessors() + " cores)", "what", "events/s",
                "ratio to reading the lines");
        offline.row("read the file's lines, no parsing (ceiling)", Math.round(readRate), "1");
        offline.row("parse each line with protobuf's JsonFormat, one thread (the reader before Jackson)",
                Math.round(parseRate), String.format("%.2f", parseRate / readRate));
        offline.row("bin/minqing audit verify-file --checkpoint (the distribution): every chain and the tree's root,"
                + " the whole process", Math.round(verifyRate), String.format("%.2f", verifyRate / readRate));
        double withoutStartup = events / Math.max(1e-9, verifySeconds - startup);
        offline.row(String.format("the same without the JVM's start-up (%.2f s: `bin/minqing audit` with no arguments)",
                startup), Math.round(withoutStartup), String.format("%.2f", withoutStartup / readRate));
        if (progress.lateRate() > 0) {
            offline.row(String.format("the same after its first %,d events (the JIT compiling, timed by its progress "
                    + "lines; %.2f s in)", progress.from(), progress.fromSeconds()), Math.round(progress.lateRate()),
                    String.format("%.2f", progress.lateRate() / readRate));
        }
        offline.end();
        report.write(options.docs());
    }

    private static double append(Store store, long seed, int events) {
        long start = System.nanoTime();
        List<GenericDomainEventMessage<Message>> batch = new ArrayList<>(1000);
        String caseId = null;
        long seq = 0;
        for (int i = 0; i < events; i++) {
            if (i % 12 == 0) {
                caseId = Events.caseId(seed, i);
                seq = 0;
            }
            Instant at = Events.EPOCH.plusSeconds(i);
            batch.add(seq == 0 ? Events.event(caseId, 0, Events.reported(caseId, i, new SplittableRandom(i), at), at)
                    : seq == 1 ? Events.accepted(caseId, at) : Events.note(caseId, seq, at));
            seq++;
            if (batch.size() == 1000) {
                store.append(batch);
                batch = new ArrayList<>(1000);
            }
        }
        if (!batch.isEmpty()) {
            store.append(batch);
        }
        return events / seconds(start);
    }

    /** The distribution archive next to the server jar, unpacked into the work directory (what an auditor installs). */
    private Path distribution() throws Exception {
        Path archive;
        try (Stream<Path> files = Files.list(options.serverJar().toAbsolutePath().getParent())) {
            archive = files.filter(file -> file.getFileName().toString().endsWith("-dist.tar.gz")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no distribution archive beside " + options.serverJar()
                            + ": run ./mvnw -DskipTests package first"));
        }
        Path into = Files.createDirectories(work.resolve("dist"));
        Process tar = new ProcessBuilder("tar", "xzf", archive.toString(), "-C", into.toString(), "--strip-components=1")
                .inheritIO().start();
        if (tar.waitFor() != 0) {
            throw new IllegalStateException("could not unpack " + archive);
        }
        return into;
    }

    /**
     * The CLI's output as it comes, its progress lines ("verified N events", every 10,000) timed as
     * they arrive: the rate from the {@code from}th event to the end leaves out the start-up and the
     * first seconds, in which the JIT compiles the hot path.
     */
    private record Progress(String output, long from, double fromSeconds, double lateRate) {

        static Progress read(java.io.InputStream in, long from) throws java.io.IOException {
            long started = System.nanoTime();
            StringBuilder output = new StringBuilder();
            java.util.regex.Pattern line = java.util.regex.Pattern.compile("verified ([0-9,]+) events");
            long fromAt = 0;
            long fromEvents = 0;
            long lastAt = 0;
            long lastEvents = 0;
            StringBuilder current = new StringBuilder();
            for (int c = in.read(); c >= 0; c = in.read()) {
                output.append((char) c);
                if (c != '\r' && c != '\n') {
                    current.append((char) c);
                    continue;
                }
                java.util.regex.Matcher matcher = line.matcher(current);
                if (matcher.find()) {
                    long events = Long.parseLong(matcher.group(1).replace(",", ""));
                    long now = System.nanoTime();
                    if (fromAt == 0 && events >= from) {
                        fromAt = now;
                        fromEvents = events;
                    }
                    lastAt = now;
                    lastEvents = events;
                }
                current.setLength(0);
            }
            double late = fromAt > 0 && lastAt > fromAt ? (lastEvents - fromEvents) / ((lastAt - fromAt) / 1e9) : 0;
            return new Progress(output.toString(), fromEvents, (fromAt - started) / 1e9, late);
        }
    }

    private static double seconds(long startNanos) {
        return Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9);
    }
}
