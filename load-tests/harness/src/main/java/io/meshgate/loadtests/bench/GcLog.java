package io.meshgate.loadtests.bench;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JVM's GC log ({@code -Xlog:gc:file=...}) of a gateway: its pauses from some line on, so that a soak counts
 * only the pauses of its own window.
 */
public record GcLog(Path file) {

    private static final Pattern PAUSE = Pattern.compile("Pause .* ([0-9.]+)ms$");

    public GcLog {
        requireNonNull(file, "file");
    }

    /** Pause count, total and longest pause (milliseconds) from line {@code fromLine} on; lines() is the next mark. */
    public record Pauses(int lines, int count, double totalMillis, double maxMillis) {
    }

    public Pauses since(int fromLine) {
        List<String> lines;
        try {
            lines = Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException e) {
            lines = List.of();
        }
        int count = 0;
        double total = 0;
        double max = 0;
        for (String line : lines.subList(Math.min(fromLine, lines.size()), lines.size())) {
            Matcher m = PAUSE.matcher(line);
            if (m.find()) {
                double millis = Double.parseDouble(m.group(1));
                count++;
                total += millis;
                max = Math.max(max, millis);
            }
        }
        return new Pauses(lines.size(), count, total, max);
    }
}
