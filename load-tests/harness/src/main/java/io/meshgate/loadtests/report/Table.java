package io.meshgate.loadtests.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A markdown table: the first column left-aligned (names), the others right-aligned (figures); or, for tables of
 * words, every column left-aligned.
 */
public final class Table {

    private final List<String> header;
    private final boolean words;
    private final List<List<String>> rows = new ArrayList<>();

    /** A table of figures: names in the first column. */
    public Table(String... header) {
        this(false, header);
    }

    private Table(boolean words, String... header) {
        this.header = List.of(header);
        this.words = words;
    }

    /** A table of words: every column left-aligned. */
    public static Table ofWords(String... header) {
        return new Table(true, header);
    }

    public Table row(Object... cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException("row of " + cells.length + " cells (expected: " + header.size() + ")");
        }
        List<String> row = new ArrayList<>();
        for (Object cell : cells) {
            row.add(String.valueOf(cell).replace("|", "\\|"));
        }
        rows.add(row);
        return this;
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    public String markdown() {
        StringBuilder out = new StringBuilder("| ").append(String.join(" | ", header)).append(" |\n|");
        for (int i = 0; i < header.size(); i++) {
            out.append(i == 0 || words ? "---|" : "---:|");
        }
        out.append('\n');
        for (List<String> row : rows) {
            out.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        return out.toString();
    }
}
