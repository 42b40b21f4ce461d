package io.meshgate.loadtests;

import io.meshgate.loadtests.bench.GatewayConfigs;
import io.meshgate.loadtests.bench.Sleep;
import io.meshgate.loadtests.bench.Target;
import io.meshgate.loadtests.bench.WrkResult;
import io.meshgate.loadtests.report.Check;
import io.meshgate.loadtests.report.LineChart;
import io.meshgate.loadtests.report.Numbers;
import io.meshgate.loadtests.report.Section;
import io.meshgate.loadtests.report.Table;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Scenario 6: config changes one after another while wrk runs at full load, each a new file in the watched
 * directory (weights shift, a rule comes and goes), each waited for until the gateway has applied it.
 */
final class ChurnScenario implements Scenario {

    static final String TARGET = "zero errors during config churn";
    private static final int[] WEIGHTS = {10, 20, 30, 40, 50};

    @Override
    public String id() {
        return "churn";
    }

    @Override
    public String title() {
        return "Config churn under load";
    }

    @Override
    public double plannedSeconds(Profile profile) {
        return profile.churnChanges() * 0.25 + 4;
    }

    @Override
    public void run(Context ctx, Section section) throws Exception {
        Optional<Target> gateway = ctx.gatewayTarget();
        if (gateway.isEmpty()) {
            section.skip("the gateway is not in this run");
            section.check(Check.notMeasured(TARGET, "gateway not in this run"));
            return;
        }
        int changes = ctx.profile.churnChanges();
        ctx.gatewayConfig.apply(GatewayConfigs.canary(ctx.ports.canary(1), ctx.ports.canary(2), 10, -1),
                Duration.ofSeconds(60));
        Path raw = ctx.raw(id(), "wrk.txt");
        Process wrk = ctx.wrk.start(gateway.get(), changes * 2 + 60, raw);
        List<Long> applied = new ArrayList<>();
        long start = System.nanoTime();
        WrkResult result;
        try {
            Sleep.millis(1_000);
            for (int i = 0; i < changes; i++) {
                ctx.progress.step("change " + (i + 1) + "/" + changes + " under load");
                applied.add(ctx.gatewayConfig.apply(GatewayConfigs.canary(ctx.ports.canary(1), ctx.ports.canary(2),
                        WEIGHTS[i % WEIGHTS.length], i), Duration.ofSeconds(10)));
            }
            Sleep.millis(1_000);
        } finally {
            result = ctx.wrk.stop(wrk, raw);
        }
        double seconds = (System.nanoTime() - start) / 1e9 + 1;
        ctx.runs.other(new RunLog.Key(id(), changes + " changes", 1, "gateway", (int) seconds), "wrk",
                Map.of("changes", changes, "requests", result.requests(), "errors", result.errors()), raw);
        report(section, changes, applied, result);
    }

    private static void report(Section section, int changes, List<Long> applied, WrkResult result) {
        List<Double> millis = applied.stream().map(Long::doubleValue).sorted().toList();
        section.paragraph(changes + " config changes, each written as a new file into the gateway's watched "
                + "directory once it had applied the one before (the split's weight moves through "
                + "10/20/30/40/50 %, and a header rule with a new value each time), while wrk ran at full load "
                + "from a second before the first change to a second after the last. *applied* is the time from "
                + "writing the file to the gateway reporting the new generation on `/actuator/gatewayconfig` "
                + "(it checks its directory every 250 ms).");
        section.table(new Table("changes", "applied", "applied after ms (p50 / p99 / max)", "requests", "req/s",
                "errors").row(changes, applied.size(), Numbers.millis(percentile(millis, 50)) + " / "
                        + Numbers.millis(percentile(millis, 99)) + " / "
                        + Numbers.millis(millis.isEmpty() ? Double.NaN : millis.get(millis.size() - 1)),
                Numbers.count(result.requests()), Numbers.count(result.rps()),
                result.ok() ? Long.toString(result.errors()) : "no result"));
        List<double[]> points = new ArrayList<>();
        for (int i = 0; i < applied.size(); i++) {
            points.add(new double[] {i + 1, applied.get(i)});
        }
        section.chart("churn.svg", "time to apply each change", LineChart.render(
                "Config churn: write → applied, per change (ms)", "change", "milliseconds",
                List.of(new LineChart.Line("applied after", points))));
        section.check(!result.ok() ? Check.notMeasured(TARGET, "wrk printed no result")
                : new Check(TARGET, result.errors() + " errors in " + Numbers.count(result.requests())
                        + " requests across " + applied.size() + " applied changes",
                        Check.Verdict.of(result.errors() == 0 && applied.size() == changes)));
    }

    private static double percentile(List<Double> sorted, double pct) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(pct / 100 * sorted.size() - 1e-9);
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }
}
