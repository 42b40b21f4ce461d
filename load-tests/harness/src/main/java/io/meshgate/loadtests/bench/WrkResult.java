package io.meshgate.loadtests.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One wrk run as wrk printed it: requests per second, latency percentiles in milliseconds, the requests counted and
 * the errors (socket errors plus answers other than 2xx and 3xx). {@code ok} is false when wrk printed no result.
 */
public record WrkResult(boolean ok, double rps, double p50, double p99, long requests, long errors) {

    private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in");
    private static final Pattern SOCKET = Pattern.compile(
            "Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");

    public static WrkResult failed() {
        return new WrkResult(false, 0, 0, 0, 0, 0);
    }

    public static WrkResult parse(Path output) throws IOException {
        return parse(Files.readString(output));
    }

    public static WrkResult parse(String text) {
        Matcher rps = RPS.matcher(text);
        if (!rps.find()) {
            return failed();
        }
        long errors = 0;
        Matcher socket = SOCKET.matcher(text);
        if (socket.find()) {
            for (int i = 1; i <= 4; i++) {
                errors += Long.parseLong(socket.group(i));
            }
        }
        Matcher non2xx = NON_2XX.matcher(text);
        if (non2xx.find()) {
            errors += Long.parseLong(non2xx.group(1));
        }
        Matcher requests = REQUESTS.matcher(text);
        return new WrkResult(true, Double.parseDouble(rps.group(1)), percentile(text, "50"), percentile(text, "99"),
                requests.find() ? Long.parseLong(requests.group(1)) : 0, errors);
    }

    private static double percentile(String text, String pct) {
        Matcher m = Pattern.compile("(?m)^\\s+" + pct + "%\\s+([0-9.]+)(us|ms|s|m)\\s*$").matcher(text);
        if (!m.find()) {
            return Double.NaN;
        }
        double value = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> value / 1000;
            case "ms" -> value;
            case "s" -> value * 1000;
            default -> value * 60_000;
        };
    }
}
