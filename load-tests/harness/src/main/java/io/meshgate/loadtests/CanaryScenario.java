package io.meshgate.loadtests;

import io.meshgate.loadtests.bench.GatewayConfigs;
import io.meshgate.loadtests.bench.Sleep;
import io.meshgate.loadtests.bench.Target;
import io.meshgate.loadtests.bench.WrkResult;
import io.meshgate.loadtests.report.BarChart;
import io.meshgate.loadtests.report.Check;
import io.meshgate.loadtests.report.Numbers;
import io.meshgate.loadtests.report.Section;
import io.meshgate.loadtests.report.Table;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Scenario 5: a 90/10 split between two versions under full load, counted where it lands: each version's backend
 * logs a line per request it serves.
 */
final class CanaryScenario implements Scenario {

    static final String TARGET = "canary split within ±2 points of the configured weight (under load)";
    static final int V2_WEIGHT = 10;

    @Override
    public String id() {
        return "canary";
    }

    @Override
    public String title() {
        return "Canary split accuracy under load";
    }

    @Override
    public double plannedSeconds(Profile profile) {
        return profile.steadySeconds() + 5;
    }

    @Override
    public void run(Context ctx, Section section) throws Exception {
        Optional<Target> gateway = ctx.gatewayTarget();
        if (gateway.isEmpty()) {
            section.skip("the gateway is not in this run");
            section.check(Check.notMeasured(TARGET, "gateway not in this run"));
            return;
        }
        ctx.gatewayConfig.apply(GatewayConfigs.canary(ctx.ports.canary(1), ctx.ports.canary(2), V2_WEIGHT, -1),
                Duration.ofSeconds(60));
        long[] before = settledCounts(ctx);
        ctx.progress.step("90/10 split under load, " + ctx.profile.steadySeconds() + " s");
        WrkResult wrk = ctx.wrk.run(gateway.get(), ctx.profile.steadySeconds(), ctx.raw(id(), "wrk.txt"));
        long[] after = settledCounts(ctx);
        long v1 = after[0] - before[0];
        long v2 = after[1] - before[1];
        double observed = 100.0 * v2 / Math.max(1, v1 + v2);
        ctx.runs.other(new RunLog.Key(id(), "90/10", 1, "gateway", ctx.profile.steadySeconds()), "wrk",
                Map.of("v1", v1, "v2", v2, "wrk_requests", wrk.requests(), "errors", wrk.errors()),
                ctx.raw(id(), "wrk.txt"));
        section.paragraph("One VirtualService route with two weighted destinations (v1 " + (100 - V2_WEIGHT)
                + ", v2 " + V2_WEIGHT + "), each a port of the backend that logs a line per request; wrk at full "
                + "load for " + ctx.profile.steadySeconds() + " s (" + Numbers.count(wrk.rps()) + " req/s, "
                + Numbers.count(wrk.requests()) + " requests, " + wrk.errors() + " errors).");
        section.table(new Table("destination", "configured %", "requests served", "observed %")
                .row("v1", 100 - V2_WEIGHT, Numbers.count(v1), Numbers.decimal(100 - observed, 2))
                .row("v2", V2_WEIGHT, Numbers.count(v2), Numbers.decimal(observed, 2)));
        section.chart("canary.svg", "configured and observed shares", BarChart.render(
                "Canary split: configured and observed share (%)", "percent of requests", List.of("v1", "v2"),
                List.of(new BarChart.Series("configured", List.of(100.0 - V2_WEIGHT, (double) V2_WEIGHT)),
                        new BarChart.Series("observed", List.of(100 - observed, observed))),
                v -> Numbers.decimal(v, 2)));
        double off = Math.abs(observed - V2_WEIGHT);
        section.check(v1 + v2 == 0 ? Check.notMeasured(TARGET, "no request reached the canary backends")
                : new Check(TARGET, "v2 " + Numbers.decimal(observed, 2) + " % for " + V2_WEIGHT + " % ("
                        + Numbers.decimal(off, 2) + " points off)", Check.Verdict.of(off <= 2.0)));
    }

    /** The backend's request counts once its buffered logs (flushed every second) stop growing. */
    private static long[] settledCounts(Context ctx) throws IOException {
        long[] last = {ctx.peers.canaryRequests(1), ctx.peers.canaryRequests(2)};
        for (int i = 0; i < 20; i++) {
            Sleep.millis(1_200);
            long[] now = {ctx.peers.canaryRequests(1), ctx.peers.canaryRequests(2)};
            if (now[0] == last[0] && now[1] == last[1]) {
                return now;
            }
            last = now;
        }
        return last;
    }
}
