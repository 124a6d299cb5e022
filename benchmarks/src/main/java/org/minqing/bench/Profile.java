package org.minqing.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Hot spots from the server's JFR recording (execution samples taken during the measured load only):
 * the top methods by self time, and the layers (by package) the samples fall in.
 */
final class Profile {

    private Profile() {
    }

    static void summarize(Path jfr, Instant from, Instant to, Report report, int top) throws IOException {
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> layers = new HashMap<>();
        Map<String, Integer> callers = new HashMap<>();
        int samples = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(jfr)) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null
                    || event.getStartTime().isBefore(from) || event.getStartTime().isAfter(to)) {
                continue;
            }
            List<RecordedFrame> frames = event.getStackTrace().getFrames();
            if (frames.isEmpty()) {
                continue;
            }
            samples++;
            self.merge(method(frames.get(0)), 1, Integer::sum);
            layers.merge(layer(frames), 1, Integer::sum);
            callers.merge(caller(frames), 1, Integer::sum);
        }
        int total = samples;
        Report.Table methods = report.table("Scenario 1 profile: top " + top + " methods by self samples (JFR, "
                + total + " execution samples during the load)", "method", "samples", "share");
        sorted(self, top).forEach((m, n) -> methods.row("`" + m + "`", n, String.format("%.1f%%", 100.0 * n / total)));
        methods.end();
        Report.Table byLayer = report.table("Scenario 1 profile: samples by the first non-JDK frame's library",
                "layer", "samples", "share");
        sorted(layers, 20).forEach((m, n) -> byLayer.row(m, n, String.format("%.1f%%", 100.0 * n / total)));
        byLayer.end();
        Report.Table byCaller = report.table("Scenario 1 profile: samples by the innermost Minqing, Axon or Spring "
                + "frame (who asked for the work: the database, serialization …)", "frame", "samples", "share");
        sorted(callers, top).forEach((m, n) -> byCaller.row("`" + m + "`", n, String.format("%.1f%%", 100.0 * n / total)));
        byCaller.end();
    }

    /** The innermost frame of our code or of the frameworks that call into H2, protobuf, Netty and the JDK. */
    private static String caller(List<RecordedFrame> frames) {
        for (RecordedFrame frame : frames) {
            String type = frame.getMethod().getType().getName();
            if (type.startsWith("org.minqing.") || type.startsWith("org.axonframework.")
                    || type.startsWith("org.springframework.")) {
                return method(frame);
            }
        }
        return "(none: " + layer(frames) + ")";
    }

    private static String method(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    /** Which library the sample is "in": the innermost frame outside the JDK, reduced to a package prefix. */
    private static String layer(List<RecordedFrame> frames) {
        for (RecordedFrame frame : frames) {
            String type = frame.getMethod().getType().getName();
            if (type.startsWith("java.") || type.startsWith("jdk.") || type.startsWith("sun.")
                    || type.startsWith("javax.")) {
                continue;
            }
            String[] parts = type.split("\\.");
            return parts.length >= 3 ? parts[0] + "." + parts[1] + "." + parts[2] : type;
        }
        return "JDK only (" + frames.get(0).getMethod().getType().getName() + ")";
    }

    private static Map<String, Integer> sorted(Map<String, Integer> counts, int limit) {
        Map<String, Integer> out = new LinkedHashMap<>();
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(limit)
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }
}
