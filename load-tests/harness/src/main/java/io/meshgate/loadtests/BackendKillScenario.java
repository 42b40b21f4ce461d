package io.meshgate.loadtests;

import io.meshgate.loadtests.bench.Tool;
import io.meshgate.loadtests.report.LineChart;
import io.meshgate.loadtests.report.Numbers;
import io.meshgate.loadtests.report.Section;
import io.meshgate.loadtests.report.Table;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scenario 7: one of three backends dies under load. Runs the gateway's own BackendKillBenchmark (its test
 * classes): three backends in its process, a closed loop to find the rate, then an open loop at 70 % of it with the
 * kill; the gateway retries and ejects the dead endpoint (DestinationRule outlier detection).
 */
final class BackendKillScenario implements Scenario {

    private static final String BENCHMARK = "io.meshgate.gateway.bench.BackendKillBenchmark";
    private static final Pattern RATES = Pattern.compile(
            "closed loop \\(64 concurrent\\): (\\d+) req/s; open loop at 70%: (\\d+) req/s");
    private static final Pattern SECOND = Pattern.compile("second\\s+(\\d+):\\s+(\\d+) ok,\\s+(\\d+) errors");
    private static final Pattern TOTAL = Pattern.compile("client-visible errors: (\\d+) of (\\d+) requests");

    @Override
    public String id() {
        return "backend-kill";
    }

    @Override
    public String title() {
        return "Backend failure: one of three backends killed under load";
    }

    @Override
    public double plannedSeconds(Profile profile) {
        var kill = profile.kill();
        return kill.warmup() + kill.closedLoop() + kill.openLoop() + 4;
    }

    @Override
    public void run(Context ctx, Section section) throws Exception {
        Path classes = ctx.layout.root().resolve("gateway-app/target/test-classes");
        Path lib = ctx.layout.root().resolve("gateway-app/target/app/lib");
        if (ctx.gateway == null) {
            section.skip("the gateway is not in this run");
            return;
        }
        if (!Files.exists(classes.resolve(BENCHMARK.replace('.', '/') + ".class")) || !Files.isDirectory(lib)) {
            section.skip("needs the gateway's test classes and `gateway-app/target/app/lib` "
                    + "(`./mvnw -DskipTests package`, without -Dcds.skip)");
            return;
        }
        String classpath = classes + ":" + lib + "/*";
        Path config = Files.createDirectories(ctx.layout.work().resolve("backend-kill"));
        int first = ctx.ports.killBackends();
        Tool.run("", List.of(ctx.layout.java(), "-cp", classpath, BENCHMARK, "write", config.toString(),
                Integer.toString(first)), ctx.layout.work().resolve("logs/backend-kill-write.log"), 60);
        ctx.gatewayConfig.apply(Files.readString(config.resolve("kill.yaml")), Duration.ofSeconds(60));
        var kill = ctx.profile.kill();
        Path raw = ctx.raw(id(), "output.txt");
        ctx.progress.step("closed loop " + (kill.warmup() + kill.closedLoop()) + " s, then open loop "
                + kill.openLoop() + " s with a backend killed at " + kill.killAt() + " s");
        int exit = Tool.run(ctx.cpus.loadGenerator(), List.of(ctx.layout.java(), "-Xmx1g", "-XX:+UseSerialGC",
                "-cp", classpath, BENCHMARK, "run", ctx.peers.url(ctx.ports.gateway()), Integer.toString(first),
                Integer.toString(kill.warmup()), Integer.toString(kill.closedLoop()),
                Integer.toString(kill.openLoop()), Integer.toString(kill.killAt())), raw,
                kill.warmup() + kill.closedLoop() + kill.openLoop() + 90L);
        report(ctx, section, Files.readString(raw), exit);
    }

    private void report(Context ctx, Section section, String output, int exit) {
        Matcher rates = RATES.matcher(output);
        Matcher total = TOTAL.matcher(output);
        if (exit != 0 || !rates.find() || !total.find()) {
            section.skip("the benchmark ended without a result (exit " + exit + "); see raw/" + id()
                    + "/output.txt");
            return;
        }
        int killAt = ctx.profile.kill().killAt();
        List<double[]> ok = new ArrayList<>();
        List<double[]> errors = new ArrayList<>();
        int lastError = -1;
        Matcher second = SECOND.matcher(output);
        while (second.find()) {
            int s = Integer.parseInt(second.group(1));
            ok.add(new double[] {s, Double.parseDouble(second.group(2))});
            errors.add(new double[] {s, Double.parseDouble(second.group(3))});
            if (Integer.parseInt(second.group(3)) > 0 && s >= killAt) {
                lastError = s;
            }
        }
        long errorCount = Long.parseLong(total.group(1));
        String recovery = lastError < 0 ? "0 s (no second with an error after the kill)"
                : (lastError - killAt + 1) + " s (last second with an error: " + lastError + ")";
        ctx.runs.other(new RunLog.Key(id(), "kill", 1, "gateway", ctx.profile.kill().openLoop()),
                "BackendKillBenchmark", Map.of("errors", errorCount, "requests", total.group(2), "last_error_second",
                        lastError), ctx.raw(id(), "output.txt"));
        section.paragraph("Three backends (reactor-netty, in the load generator's process and CPU), the gateway "
                + "with `retries: {attempts: 2, retryOn: connect-failure,reset,5xx}` and outlier detection "
                + "(`consecutiveGatewayErrors: 3`). A closed loop of 64 requests at a time finds the rate the "
                + "generator drives; then an open loop at 70 % of it for " + ctx.profile.kill().openLoop()
                + " s, one backend stopped " + killAt + " s in (its listening socket and every connection closed "
                + "at once, as when its process dies).");
        section.table(new Table("closed loop req/s", "open loop req/s", "requests", "client-visible errors",
                "recovery").row(Numbers.count(Double.parseDouble(rates.group(1))),
                Numbers.count(Double.parseDouble(rates.group(2))), Numbers.count(Double.parseDouble(total.group(2))),
                errorCount, recovery));
        section.chart("backend-kill.svg", "answers and errors per second around the kill", LineChart.render(
                "Backend killed at " + killAt + " s: answers per second", "second of the open loop",
                "requests", List.of(new LineChart.Line("200", ok), new LineChart.Line("errors", errors)),
                List.of(new LineChart.Marker(killAt, "backend killed"))));
    }
}
