package org.minqing.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** Collects a scenario's tables and notes, prints them, and appends them to docs/benchmarks.md. */
final class Report {

    private final StringBuilder markdown = new StringBuilder();

    Report(String scenario, String command) {
        markdown.append("\n### ").append(scenario).append(" · ")
                .append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append("\n\n")
                .append("- command: `").append(command).append("`\n")
                .append("- ").append(Machine.describe()).append("\n");
    }

    void note(String text) {
        markdown.append("- ").append(text).append("\n");
        System.out.println(text);
    }

    Table table(String title, String... columns) {
        return new Table(title, columns);
    }

    /** Appends everything to {@code docs}; the caller calls it once at the end of the scenario. */
    void write(Path docs) throws IOException {
        markdown.append("- load average at end: ").append(Machine.loadAverage()).append("\n");
        Files.writeString(docs, markdown, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        System.out.println("appended to " + docs);
    }

    final class Table {
        private final String title;
        private final String[] columns;
        private final List<String[]> rows = new ArrayList<>();

        private Table(String title, String[] columns) {
            this.title = title;
            this.columns = columns;
        }

        void row(Object... cells) {
            String[] text = new String[cells.length];
            for (int i = 0; i < cells.length; i++) {
                text[i] = format(cells[i]);
            }
            rows.add(text);
            System.out.println("  " + String.join(" | ", text));
        }

        /** Prints the table aligned and adds it to the markdown. */
        void end() {
            markdown.append("\n**").append(title).append("**\n\n| ").append(String.join(" | ", columns))
                    .append(" |\n|").append("---|".repeat(columns.length)).append("\n");
            for (String[] row : rows) {
                markdown.append("| ").append(String.join(" | ", row)).append(" |\n");
            }
            markdown.append("\n");
            int[] widths = new int[columns.length];
            for (int i = 0; i < columns.length; i++) {
                widths[i] = columns[i].length();
                for (String[] row : rows) {
                    widths[i] = Math.max(widths[i], i < row.length ? row[i].length() : 0);
                }
            }
            System.out.println("\n" + title);
            System.out.println(line(columns, widths));
            for (String[] row : rows) {
                System.out.println(line(row, widths));
            }
            System.out.println();
        }

        private String line(String[] cells, int[] widths) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < widths.length; i++) {
                String cell = i < cells.length ? cells[i] : "";
                b.append(String.format("%-" + widths[i] + "s", cell)).append(i + 1 < widths.length ? "  " : "");
            }
            return b.toString();
        }
    }

    static String format(Object cell) {
        if (cell instanceof Double d) {
            if (d.isNaN()) {
                return "–";
            }
            if (Math.abs(d) >= 100) {
                return String.format("%,.0f", d);
            }
            return Math.abs(d) >= 10 ? String.format("%.1f", d) : String.format("%.2f", d);
        }
        if (cell instanceof Long || cell instanceof Integer) {
            return String.format("%,d", ((Number) cell).longValue());
        }
        return String.valueOf(cell);
    }
}
