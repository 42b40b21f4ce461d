package io.meshgate.loadtests.report;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What one scenario contributes to the report: text, tables, charts (written as SVG files next to the report) and
 * checks against the targets; or why it was skipped.
 */
public final class Section {

    private final String id;
    private final String title;
    private final Path dir;
    private final List<String> blocks = new ArrayList<>();
    private final List<Check> checks = new ArrayList<>();
    private @Nullable String skipped;
    private double seconds;

    public Section(String id, String title, Path dir) {
        this.id = requireNonNull(id, "id");
        this.title = requireNonNull(title, "title");
        this.dir = requireNonNull(dir, "dir");
    }

    public String id() {
        return id;
    }

    public String title() {
        return title;
    }

    public Section paragraph(String markdown) {
        blocks.add(markdown.strip());
        return this;
    }

    public Section table(Table table) {
        blocks.add(table.markdown().strip());
        return this;
    }

    /** Writes the chart as {@code <file>} beside the report and shows it there. */
    public Section chart(String file, String alt, String svg) {
        try {
            Files.writeString(dir.resolve(file), svg);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        blocks.add("![" + alt + "](" + file + ")");
        return this;
    }

    public Section check(Check check) {
        checks.add(check);
        return this;
    }

    /** The scenario could not run here (a feature not built, a tool missing): said in the report, not hidden. */
    public Section skip(String reason) {
        skipped = reason;
        return this;
    }

    public Optional<String> skipped() {
        return Optional.ofNullable(skipped);
    }

    public List<Check> checks() {
        return List.copyOf(checks);
    }

    public void took(double seconds) {
        this.seconds = seconds;
    }

    public String markdown(int number) {
        StringBuilder out = new StringBuilder("## ").append(number).append(". ").append(title).append("\n\n");
        if (skipped != null) {
            out.append("**Skipped**: ").append(skipped).append("\n\n");
        }
        for (String block : blocks) {
            out.append(block).append("\n\n");
        }
        if (!checks.isEmpty()) {
            Table table = Table.ofWords("target", "measured", "verdict");
            checks.forEach(c -> table.row(c.target(), c.measured(), c.verdict().text()));
            out.append(table.markdown()).append('\n');
        }
        if (seconds > 0) {
            out.append("_Scenario `").append(id).append("` took ").append(Math.round(seconds)).append(" s._\n\n");
        }
        return out.toString();
    }
}
