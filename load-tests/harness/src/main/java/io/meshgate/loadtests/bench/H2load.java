package io.meshgate.loadtests.bench;

import static java.util.Objects.requireNonNull;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * h2load (nghttp2) as the fixed-rate load generator: {@code clients} HTTP/1.1 keep-alive connections, each sending
 * its share of the rate whether or not earlier answers have come, for latency at a given load rather than at
 * saturation. Percentiles come from h2load's per-request log (time from sending a request to the end of its
 * answer), which is deleted once read.
 */
public final class H2load {

    private static final Pattern FINISHED = Pattern.compile("finished in [0-9.]+s, ([0-9.]+) req/s");
    private static final Pattern REQUESTS = Pattern.compile(
            "requests: (\\d+) total, (\\d+) started, (\\d+) done, (\\d+) succeeded, (\\d+) failed, (\\d+) errored, "
                    + "(\\d+) timeout");

    private final String cpus;
    private final int clients;

    public H2load(String cpus, int clients) {
        this.cpus = requireNonNull(cpus, "cpus");
        this.clients = clients;
    }

    public int clients() {
        return clients;
    }

    /**
     * Sends {@code rps} requests per second (rounded to a multiple of the client count) for {@code warmup} seconds
     * unmeasured and then {@code seconds} measured.
     */
    public RateResult run(Target target, int rps, int seconds, int warmup, Path output)
            throws IOException, InterruptedException {
        int perClient = Math.max(1, Math.round((float) rps / clients));
        int rate = perClient * clients;
        Path log = output.resolveSibling(output.getFileName() + ".requests");
        Files.deleteIfExists(log);
        List<String> command = new ArrayList<>(List.of("h2load", "--h1", "-c", Integer.toString(clients),
                "-t", Integer.toString(CpuLayout.count(cpus)), "--rps", Integer.toString(perClient),
                "-D", Integer.toString(seconds), "--warm-up-time", Integer.toString(Math.max(1, warmup)),
                "--log-file", log.toString()));
        for (String header : target.headers()) {
            // h2load waits forever at the end of a timed run when given a Host header; :authority sets the same Host
            command.add("-H");
            command.add(header.regionMatches(true, 0, "host:", 0, 5) ? ":authority:" + header.substring(5) : header);
        }
        command.add(target.url());
        int exit = Tool.run(cpus, command, output, seconds + warmup + 30L);
        try {
            return exit < 0 ? RateResult.failed(rate) : result(rate, Files.readString(output), log);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static RateResult result(int rate, String summary, Path log) throws IOException {
        Matcher finished = FINISHED.matcher(summary);
        Matcher requests = REQUESTS.matcher(summary);
        if (!finished.find() || !requests.find()) {
            return RateResult.failed(rate);
        }
        // h2load's "failed" counts answers other than 2xx and 3xx as well as requests without an answer
        long errors = Long.parseLong(requests.group(5));
        double[] latencies = latenciesMillis(log);
        Arrays.sort(latencies);
        return new RateResult(rate, Double.parseDouble(finished.group(1)), percentile(latencies, 50),
                percentile(latencies, 99), percentile(latencies, 99.9), Long.parseLong(requests.group(3)), errors);
    }

    /** Third column of h2load's log (microseconds) of the requests answered, in milliseconds. */
    private static double[] latenciesMillis(Path log) throws IOException {
        if (!Files.exists(log)) {
            return new double[0];
        }
        double[] values = new double[1024];
        int n = 0;
        try (BufferedReader reader = Files.newBufferedReader(log)) {
            String line;
            while ((line = reader.readLine()) != null) {
                String[] f = line.split("\t");
                if (f.length < 3 || !f[1].startsWith("2") && !f[1].startsWith("3")) {
                    continue;
                }
                if (n == values.length) {
                    values = Arrays.copyOf(values, n * 2);
                }
                values[n++] = Long.parseLong(f[2]) / 1000.0;
            }
        }
        return Arrays.copyOf(values, n);
    }

    /** Nearest-rank percentile of sorted values; NaN if there are none. */
    static double percentile(double[] sorted, double pct) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        // less a hair: 99.9 % of 1,000 is 999.0000000000001 in doubles
        int rank = (int) Math.ceil(pct / 100 * sorted.length - 1e-9);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
