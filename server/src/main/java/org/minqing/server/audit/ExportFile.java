package org.minqing.server.audit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;

/**
 * Reads an export file's lines on every core and hands them over in file order: the file is cut
 * into chunks of whole lines, each chunk is parsed and hashed ({@link ExportLine}) by a worker,
 * and the chunks are taken back in the order they were cut. What must be sequential — each case's
 * chain in log order, the Merkle tree — stays with the caller; everything per event runs in
 * parallel. At most one chunk more than there are workers is in flight, so memory stays bounded,
 * and a parsed chunk's buffer is filled again rather than a new one zeroed (a gigabyte file would
 * otherwise be a gigabyte of fresh buffers for the collector).
 */
final class ExportFile {

    private static final int CHUNK = 1 << 20;

    private ExportFile() {
    }

    /** Feeds every line, blank ones included, to {@code consumer} until it answers false. */
    static void read(Path file, Predicate<ExportLine> consumer) throws IOException {
        int workers = Runtime.getRuntime().availableProcessors();
        ExecutorService pool = Executors.newFixedThreadPool(workers, task -> {
            Thread thread = new Thread(task, "verify-file");
            thread.setDaemon(true);
            return thread;
        });
        Deque<Future<List<ExportLine>>> inFlight = new ArrayDeque<>();
        Queue<byte[]> parsed = new ConcurrentLinkedQueue<>(); // chunks' buffers, to be filled again
        try (InputStream in = Files.newInputStream(file)) {
            byte[] chunk = new byte[CHUNK];
            int filled = 0;
            long nextLine = 1;
            boolean end = false;
            while (!end) {
                filled += in.readNBytes(chunk, filled, chunk.length - filled);
                end = filled < chunk.length;
                int cut = end ? filled : lastNewline(chunk, filled) + 1;
                if (cut == 0) { // one line longer than the chunk: read on with a larger one
                    chunk = Arrays.copyOf(chunk, chunk.length * 2);
                    continue;
                }
                int carried = filled - cut;
                byte[] next = carried >= CHUNK / 2 ? new byte[CHUNK + carried]
                        : Objects.requireNonNullElseGet(parsed.poll(), () -> new byte[CHUNK]);
                System.arraycopy(chunk, cut, next, 0, carried);
                byte[] lines = chunk;
                inFlight.add(pool.submit(() -> {
                    List<ExportLine> read = parse(lines, cut);
                    if (lines.length == CHUNK) {
                        parsed.add(lines);
                    }
                    return read;
                }));
                filled = carried;
                chunk = next;
                if (inFlight.size() > workers) {
                    nextLine = handOver(inFlight.removeFirst(), nextLine, consumer);
                    if (nextLine < 0) {
                        return;
                    }
                }
            }
            while (!inFlight.isEmpty() && nextLine >= 0) {
                nextLine = handOver(inFlight.removeFirst(), nextLine, consumer);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Hands a chunk's lines over, numbered from {@code firstLine}; gives the next number, or -1 to stop. */
    private static long handOver(Future<List<ExportLine>> chunk, long firstLine, Predicate<ExportLine> consumer)
            throws IOException {
        List<ExportLine> lines;
        try {
            lines = chunk.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("reading the export failed", e.getCause());
        }
        for (ExportLine line : lines) {
            if (!consumer.test(line.numberedFrom(firstLine))) {
                return -1;
            }
        }
        return firstLine + lines.size();
    }

    /**
     * The lines of {@code bytes[0, length)}, numbered from 1 (the last one possibly without its
     * newline). The newlines are found first, in a loop of their own: with the search inside the
     * per-line loop, the JIT compiled the whole parse-and-hash path over again for the search's
     * hot loop (on-stack replacement), several times per run.
     */
    private static List<ExportLine> parse(byte[] bytes, int length) {
        int[] ends = lineEnds(bytes, length);
        List<ExportLine> lines = new ArrayList<>(ends.length);
        int start = 0;
        for (int end : ends) {
            lines.add(ExportLine.read(bytes, start, end - start, lines.size() + 1));
            start = end + 1;
        }
        return lines;
    }

    /** Where each line of {@code bytes[0, length)} ends: its newline, or {@code length} for the last. */
    private static int[] lineEnds(byte[] bytes, int length) {
        int[] ends = new int[1024];
        int count = 0;
        for (int i = 0; i < length; i++) {
            if (bytes[i] == '\n') {
                if (count == ends.length) {
                    ends = Arrays.copyOf(ends, count * 2);
                }
                ends[count++] = i;
            }
        }
        if (length > 0 && bytes[length - 1] != '\n') {
            if (count == ends.length) {
                ends = Arrays.copyOf(ends, count + 1);
            }
            ends[count++] = length;
        }
        return Arrays.copyOf(ends, count);
    }

    private static int lastNewline(byte[] bytes, int length) {
        for (int i = length - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
