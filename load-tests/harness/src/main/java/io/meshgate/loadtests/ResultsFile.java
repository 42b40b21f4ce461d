package io.meshgate.loadtests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;

/**
 * Keeps {@code load-tests/RESULTS.md} on the latest full report: a full run of every scenario replaces the part
 * between the two markers with the report (its charts linked in its results directory); the rest stays.
 */
final class ResultsFile {

    static final String BEGIN = "<!-- latest full report: begin -->";
    static final String END = "<!-- latest full report: end -->";

    private ResultsFile() {
    }

    static boolean update(Path results, Path report) throws IOException {
        if (!Files.exists(results)) {
            return false;
        }
        String text = Files.readString(results);
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        if (begin < 0 || end < begin) {
            return false;
        }
        String dir = results.getParent().relativize(report.getParent()).toString();
        String body = Files.readString(report)
                .replaceAll("(?m)^(#{1,5}) ", "#$1 ")
                .replaceAll("!\\[([^]]*)]\\(([^)/]+\\.svg)\\)", "![$1](" + Matcher.quoteReplacement(dir) + "/$2)")
                .replace("`runs.tsv`", "`" + dir + "/runs.tsv`");
        int heading = body.indexOf('\n') + 1;
        String from = "\nCopied by `load-tests/run.sh` from [" + dir + "/report.md](" + dir + "/report.md).\n";
        Files.writeString(results, text.substring(0, begin + BEGIN.length()) + "\n" + body.substring(0, heading)
                + from + body.substring(heading) + text.substring(end));
        return true;
    }
}
