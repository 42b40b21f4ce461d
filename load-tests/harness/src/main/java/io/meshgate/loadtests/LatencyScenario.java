package io.meshgate.loadtests;

import io.meshgate.loadtests.bench.RateResult;
import io.meshgate.loadtests.bench.Target;
import io.meshgate.loadtests.bench.Tool;
import io.meshgate.loadtests.report.BarChart;
import io.meshgate.loadtests.report.Check;
import io.meshgate.loadtests.report.Numbers;
import io.meshgate.loadtests.report.Section;
import io.meshgate.loadtests.report.Table;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Scenario 2: latency at fixed rates (h2load, open loop), and what each proxy adds to the backend's own latency.
 */
final class LatencyScenario implements Scenario {

    static final String TARGET = "added p99 at 1,000 requests/s ≤ 1 ms over direct";
    private static final List<Integer> RATES = List.of(1_000, 5_000);

    @Override
    public String id() {
        return "latency";
    }

    @Override
    public String title() {
        return "Latency at fixed rates (1,000 and 5,000 requests/s)";
    }

    @Override
    public double plannedSeconds(Profile profile) {
        return RATES.size() * profile.latency().plannedSeconds(Options.TARGETS.size());
    }

    @Override
    public void run(Context ctx, Section section) throws Exception {
        if (Tool.find("h2load").isEmpty()) {
            section.skip("h2load is not installed (Debian: `apt-get install nghttp2-client`)");
            section.check(Check.notMeasured(TARGET, "h2load missing"));
            return;
        }
        List<Target> targets = ctx.oneRouteTargets();
        section.paragraph("h2load, HTTP/1.1, " + ctx.h2load.clients() + " keep-alive connections sharing the rate "
                + "(each sends its share on schedule, answered or not), " + ctx.profile.latency().rounds()
                + " round(s) of " + ctx.profile.latency().seconds() + " s per target and rate after "
                + Math.max(1, ctx.profile.latency().warmup()) + " s unmeasured; percentiles over every request of "
                + "a run, medians over rounds. *added* is the target's percentile minus direct's.");
        double gatewayAdded = Double.NaN;
        for (int rps : RATES) {
            Map<String, List<RateResult>> results = Rounds.fixedRate(ctx, id(), rps, targets,
                    ctx.profile.latency());
            Map<String, double[]> medians = new LinkedHashMap<>();
            results.forEach((name, runs) -> medians.put(name, new double[] {
                median(runs, RateResult::achievedRps), median(runs, RateResult::p50), median(runs, RateResult::p99),
                median(runs, RateResult::p999), runs.stream().mapToLong(RateResult::errors).sum(),
                runs.stream().allMatch(RateResult::rateHeld) ? 1 : 0}));
            double[] direct = medians.getOrDefault("direct", new double[] {0, Double.NaN, Double.NaN, Double.NaN});
            Table table = new Table("target", "achieved req/s", "p50 ms", "p99 ms", "p99.9 ms", "added p50 ms",
                    "added p99 ms", "added p99.9 ms", "errors");
            medians.forEach((name, m) -> table.row(name,
                    Numbers.count(m[0]) + (m[5] == 1 ? "" : " (rate not held)"), Numbers.millis(m[1]),
                    Numbers.millis(m[2]), Numbers.millis(m[3]), Numbers.millis(m[1] - direct[1]),
                    Numbers.millis(m[2] - direct[2]), Numbers.millis(m[3] - direct[3]), Numbers.count(m[4])));
            section.paragraph("**" + Numbers.count(rps) + " requests/s**").table(table);
            List<String> names = List.copyOf(medians.keySet());
            section.chart("latency-" + rps + ".svg", "latency percentiles at " + rps + " requests/s",
                    BarChart.render("Latency at " + Numbers.count(rps) + " requests/s (ms, median of rounds)",
                            "milliseconds", names, List.of(
                                    new BarChart.Series("p50", names.stream().map(n -> medians.get(n)[1]).toList()),
                                    new BarChart.Series("p99", names.stream().map(n -> medians.get(n)[2]).toList()),
                                    new BarChart.Series("p99.9",
                                            names.stream().map(n -> medians.get(n)[3]).toList())),
                            Numbers::millis));
            if (rps == 1_000 && medians.containsKey("gateway")) {
                gatewayAdded = medians.get("gateway")[2] - direct[2];
            }
        }
        section.check(Double.isNaN(gatewayAdded) ? Check.notMeasured(TARGET, "gateway or direct not in this run")
                : new Check(TARGET, "+" + Numbers.millis(gatewayAdded) + " ms", Check.Verdict.of(gatewayAdded <= 1.0)));
    }

    private static double median(List<RateResult> runs, ToDoubleFunction<RateResult> figure) {
        return Numbers.median(runs.stream().filter(RateResult::ok).map(r -> figure.applyAsDouble(r)).toList());
    }
}
