package io.meshgate.loadtests;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The progress line on stderr: time so far against the plan, the scenario and what runs now. On a terminal the
 * line is rewritten in place; otherwise (a log, CI) every step is a line of its own.
 */
final class Progress {

    private final PrintStream out;
    private final boolean terminal;
    private final long start = System.nanoTime();
    private double plannedSeconds;
    private String scenario = "";
    private int lastLength;

    Progress(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /** How long the run should take, as the scenarios plan it. */
    void plan(double seconds) {
        plannedSeconds = seconds;
    }

    double plannedSeconds() {
        return plannedSeconds;
    }

    double elapsedSeconds() {
        return (System.nanoTime() - start) / 1e9;
    }

    void scenario(int index, int total, String id) {
        scenario = index + "/" + total + " " + id + ": ";
    }

    synchronized void step(String text) {
        String line = String.format(Locale.ROOT, "[load-tests %s / ~%s] %s%s", clock(elapsedSeconds()),
                clock(plannedSeconds), scenario, text);
        if (terminal) {
            out.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
            lastLength = line.length();
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** A line that stays (a result, a warning), even on a terminal. */
    synchronized void note(String text) {
        if (terminal && lastLength > 0) {
            out.println();
            lastLength = 0;
        }
        out.println("[load-tests] " + text);
        out.flush();
    }

    private static String clock(double seconds) {
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
