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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;

/**
 * Reads an export file's lines on every core and hands them over in file order: the file is cut
 * into chunks of whole lines, each chunk is parsed and hashed ({@link ExportLine}) by a worker,
 * and the chunks are taken back in the order they were cut. What must be sequential — each case's
 * chain in log order, the Merkle tree — stays with the caller; everything per event runs in
 * parallel. At most a few chunks are in flight, so memory stays bounded.
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
        try (InputStream in = Files.newInputStream(file)) {
            byte[] carried = new byte[0];
            long nextLine = 1;
            boolean end = false;
            while (!end) {
                byte[] chunk = Arrays.copyOf(carried, Math.max(CHUNK, carried.length * 2));
                int filled = carried.length;
                int read = in.readNBytes(chunk, filled, chunk.length - filled);
                filled += read;
                end = filled < chunk.length;
                int cut = end ? filled : lastNewline(chunk, filled) + 1;
                if (cut == 0) { // one line longer than the chunk: read on with a larger one
                    carried = Arrays.copyOf(chunk, filled);
                    continue;
                }
                carried = Arrays.copyOfRange(chunk, cut, filled);
                int length = cut;
                inFlight.add(pool.submit(() -> parse(chunk, length)));
                if (inFlight.size() > 2 * workers) {
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

    /** The lines of {@code bytes[0, length)}, numbered from 1 (the last one possibly without its newline). */
    private static List<ExportLine> parse(byte[] bytes, int length) {
        List<ExportLine> lines = new ArrayList<>();
        int start = 0;
        while (start < length) {
            int newline = start;
            while (newline < length && bytes[newline] != '\n') {
                newline++;
            }
            lines.add(ExportLine.read(bytes, start, newline - start, lines.size() + 1));
            start = newline + 1;
        }
        return lines;
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
