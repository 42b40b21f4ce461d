package io.meshgate.loadtests;

import io.meshgate.loadtests.bench.Target;
import io.meshgate.loadtests.report.BarChart;
import io.meshgate.loadtests.report.Check;
import io.meshgate.loadtests.report.Numbers;
import io.meshgate.loadtests.report.Section;
import io.meshgate.loadtests.report.Table;
import java.util.List;
import java.util.Map;

/** Scenario 1: the most each target serves through one route over keep-alive connections (wrk). */
final class ThroughputScenario implements Scenario {

    static final String TARGET = "requests/s ≥ 1.0× plain Spring Cloud Gateway (one route)";

    @Override
    public String id() {
        return "throughput";
    }

    @Override
    public String title() {
        return "Throughput: one route, keep-alive";
    }

    @Override
    public double plannedSeconds(Profile profile) {
        return profile.throughput().plannedSeconds(Options.TARGETS.size());
    }

    @Override
    public void run(Context ctx, Section section) throws Exception {
        List<Target> targets = ctx.oneRouteTargets();
        Map<String, ClosedLoopSummary> s = ClosedLoopSummary.of(
                Rounds.closedLoop(ctx, id(), "one route", targets, ctx.profile.throughput()));
        double direct = rps(s, "direct");
        double nginx = rps(s, "nginx");
        double scg = rps(s, "plain-scg");
        Table table = new Table("target", "req/s (median)", "req/s per round", "p50 ms", "p99 ms", "errors",
                "vs direct", "vs nginx", "vs plain SCG", "proxy CPU µs/req", "RSS MiB",
                "CPU busy % (load generator / proxy)");
        s.forEach((name, t) -> table.row(name, Numbers.count(t.rps()), t.perRound(), Numbers.millis(t.p50()),
                Numbers.millis(t.p99()), t.errorsText(), Numbers.ratio(Numbers.divide(t.rps(), direct)),
                Numbers.ratio(Numbers.divide(t.rps(), nginx)), Numbers.ratio(Numbers.divide(t.rps(), scg)),
                Numbers.decimal(t.cpuMicrosPerRequest(), 1), t.rssMib(),
                t.busy(ctx.cpus.loadGenerator(), ctx.cpus.proxy())));
        section.paragraph("wrk, " + ctx.wrk.connections() + " keep-alive connections, "
                + ctx.profile.throughput().rounds() + " round(s) of " + ctx.profile.throughput().seconds()
                + " s per target after " + ctx.profile.throughput().warmup() + " s of warm-up each; medians over "
                + "rounds. The backend alone is `direct`; every proxy forwards to it. *proxy CPU µs/req* is the CPU "
                + "time of the target's process per request (for `direct`, the backend's own).")
                .table(table);
        List<String> names = List.copyOf(s.keySet());
        section.chart("throughput.svg", "requests per second by target", BarChart.render(
                "One route, keep-alive: requests/s (median)", "requests per second", names,
                List.of(new BarChart.Series("req/s", names.stream().map(n -> s.get(n).rps()).toList()))));
        section.chart("throughput-latency.svg", "p50 and p99 by target at saturation", BarChart.render(
                "One route at saturation: latency (ms)", "milliseconds", names, List.of(
                        new BarChart.Series("p50", names.stream().map(n -> s.get(n).p50()).toList()),
                        new BarChart.Series("p99", names.stream().map(n -> s.get(n).p99()).toList())),
                Numbers::millis));
        double gateway = rps(s, "gateway");
        ctx.gatewayMaxRps = gateway;
        double ratio = Numbers.divide(gateway, scg);
        section.check(Double.isNaN(ratio) ? Check.notMeasured(TARGET, "gateway or plain SCG not in this run")
                : new Check(TARGET, Numbers.count(gateway) + " vs " + Numbers.count(scg) + " req/s: "
                        + Numbers.ratio(ratio), Check.Verdict.of(ratio >= 1.0)));
    }

    private static double rps(Map<String, ClosedLoopSummary> summaries, String target) {
        ClosedLoopSummary s = summaries.get(target);
        return s == null ? Double.NaN : s.rps();
    }
}
