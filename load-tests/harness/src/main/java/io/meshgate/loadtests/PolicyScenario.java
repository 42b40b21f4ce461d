package io.meshgate.loadtests;

import io.meshgate.loadtests.bench.GatewayConfigs;
import io.meshgate.loadtests.bench.Started;
import io.meshgate.loadtests.bench.Target;
import io.meshgate.loadtests.report.Numbers;
import io.meshgate.loadtests.report.Section;
import io.meshgate.loadtests.report.Table;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What DestinationRule policy costs on the request path: one gateway, two hosts to the same backend, one without a
 * DestinationRule and one with LEAST_REQUEST, outlier detection and connectionPool limits. Not in the default run.
 */
final class PolicyScenario implements Scenario {

    @Override
    public String id() {
        return "policy";
    }

    @Override
    public String title() {
        return "DestinationRule policy on the request path";
    }

    @Override
    public double plannedSeconds(Profile profile) {
        return profile.throughput().plannedSeconds(2) + 3;
    }

    @Override
    public void run(Context ctx, Section section) throws Exception {
        Started gateway = ctx.gateway;
        if (gateway == null) {
            section.skip("the gateway is not in this run");
            return;
        }
        ctx.gatewayConfig.apply(GatewayConfigs.destinationRule(ctx.ports.backend()), Duration.ofSeconds(60));
        String url = ctx.peers.url(ctx.ports.gateway());
        List<Target> targets = List.of(
                new Target("gateway-plain", url, List.of("Host: plain.bench.local"), gateway),
                new Target("gateway-dr", url, List.of("Host: dr.bench.local"), gateway));
        Map<String, ClosedLoopSummary> s = ClosedLoopSummary.of(
                Rounds.closedLoop(ctx, id(), "policy", targets, ctx.profile.throughput()));
        Table table = new Table("target", "req/s (median)", "req/s per round", "p50 ms", "p99 ms", "errors",
                "proxy CPU µs/req");
        s.forEach((name, t) -> table.row(name, Numbers.count(t.rps()), t.perRound(), Numbers.millis(t.p50()),
                Numbers.millis(t.p99()), t.errorsText(), Numbers.decimal(t.cpuMicrosPerRequest(), 1)));
        section.paragraph("`plain.bench.local` has no DestinationRule (LEAST_REQUEST is Istio's default anyway); "
                + "`dr.bench.local` has LEAST_REQUEST, outlier detection and connectionPool limits. With the policy: "
                + Numbers.ratio(Numbers.divide(s.get("gateway-dr").rps(), s.get("gateway-plain").rps()))
                + " the requests/s without.").table(table);
    }
}
