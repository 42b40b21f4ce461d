package io.meshgate.loadtests;

import io.meshgate.loadtests.bench.RateResult;
import io.meshgate.loadtests.bench.WrkResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code runs.tsv}: one line per measured run of every scenario (warm-ups are not measured), with the figures the
 * report's medians come from and the file of the tool's own output.
 */
final class RunLog {

    private static final String HEADER = "scenario\tlabel\tround\ttarget\ttool\tseconds\trps\tp50_ms\tp99_ms\t"
            + "p999_ms\trequests\terrors\tcpu_us_per_request\trss_kib\tcpu_busy_percent\traw\n";

    private final Path file;

    RunLog(Path file) {
        this.file = file;
        try {
            Files.writeString(file, HEADER);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path file() {
        return file;
    }

    /** Which run a line is: scenario, what in it (a rate, a table size), round, target, measured seconds. */
    record Key(String scenario, String label, int round, String target, int seconds) {
    }

    void closedLoop(Key key, Measured m, Path raw) {
        WrkResult w = m.wrk();
        String busy = new java.util.TreeMap<>(m.busy()).entrySet().stream()
                .map(e -> e.getKey() + "=" + String.format(Locale.ROOT, "%.0f", e.getValue()))
                .collect(Collectors.joining(","));
        line(key, "wrk", w.rps(), w.p50(), w.p99(), Double.NaN, w.requests(), w.errors(), m.cpuMicrosPerRequest(),
                m.rssKib(), busy, raw);
    }

    void fixedRate(Key key, RateResult r, Path raw) {
        line(key, "h2load", r.achievedRps(), r.p50(), r.p99(), r.p999(), r.requests(), r.errors(), Double.NaN, -1L,
                "", raw);
    }

    /** A run with figures of its own (a kill, a soak slice), kept as text in the last column but one. */
    void other(Key key, String tool, Map<String, Object> figures, Path raw) {
        line(key, tool, Double.NaN, Double.NaN, Double.NaN, Double.NaN, -1L, -1L, Double.NaN, -1L,
                figures.toString(), raw);
    }

    /** The key's cells, then the tool and its figures; a negative count or NaN is an empty cell. */
    private void line(Key key, String tool, Object... figures) {
        StringBuilder line = new StringBuilder();
        List<Object> cells = new ArrayList<>(List.of(key.scenario(), key.label(), key.round(), key.target(), tool,
                key.seconds()));
        cells.addAll(List.of(figures));
        for (Object cell : cells) {
            if (line.length() > 0) {
                line.append('\t');
            }
            line.append(text(cell));
        }
        try {
            Files.writeString(file, line.append('\n'), StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String text(Object cell) {
        if (cell instanceof Double d) {
            return d.isNaN() ? "" : String.format(Locale.ROOT, "%.3f", d);
        }
        if (cell instanceof Long l) {
            return l < 0 ? "" : l.toString();
        }
        if (cell instanceof Path p) {
            return file.getParent().relativize(p).toString();
        }
        return String.valueOf(cell);
    }
}
