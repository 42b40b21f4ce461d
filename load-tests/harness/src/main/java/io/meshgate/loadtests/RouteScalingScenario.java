package io.meshgate.loadtests;

import io.meshgate.loadtests.bench.GatewayConfigs;
import io.meshgate.loadtests.bench.Started;
import io.meshgate.loadtests.bench.Target;
import io.meshgate.loadtests.report.BarChart;
import io.meshgate.loadtests.report.Check;
import io.meshgate.loadtests.report.Numbers;
import io.meshgate.loadtests.report.Section;
import io.meshgate.loadtests.report.Table;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Scenario 3: route tables of 10, 1,000 and 10,000 rules (10 per host), the first and the last rule of each, on
 * the gateway (its config replaced live) and on plain Spring Cloud Gateway (restarted with the same table).
 */
final class RouteScalingScenario implements Scenario {

    static final String TARGET = "last of 10,000 rules ≥ 0.9× first (gateway, requests/s)";
    private static final int RULES_PER_HOST = 10;

    @Override
    public String id() {
        return "routes";
    }

    @Override
    public String title() {
        return "Route-count scaling: first and last rule";
    }

    @Override
    public double plannedSeconds(Profile profile) {
        Runs runs = profile.routes();
        return profile.routeSizes().size() * (runs.plannedSeconds(4) + 4 * warmup(profile) + 15);
    }

    @Override
    public void run(Context ctx, Section section) throws Exception {
        Started oneRoute = ctx.plainScg;
        if (oneRoute != null) {
            // plain Spring Cloud Gateway is restarted with each table; its one-route instance is done
            ctx.launcher.stop(oneRoute);
            ctx.plainScg = null;
        }
        boolean gateway = ctx.gateway != null;
        boolean scg = ctx.options.measures("plain-scg") && ctx.layout.plainScgJar().isPresent();
        Map<Integer, Map<String, ClosedLoopSummary>> bySize = new LinkedHashMap<>();
        Table setup = new Table("rules", "hosts", "gateway: config applied live (ms)",
                "plain SCG: launch → first 200 (ms)");
        for (int size : ctx.profile.routeSizes()) {
            int hosts = Math.max(1, size / RULES_PER_HOST);
            List<Target> targets = new ArrayList<>();
            long applied = -1;
            if (gateway) {
                ctx.progress.step(size + " rules: gateway config");
                applied = ctx.gatewayConfig.apply(GatewayConfigs.manyRoutes(hosts, RULES_PER_HOST,
                        ctx.ports.backend()), Duration.ofSeconds(180));
                targets.addAll(firstAndLast("gateway", ctx.peers.url(ctx.ports.gateway()), hosts, ctx.gateway));
            }
            Started instance = null;
            long ready = -1;
            if (scg) {
                ctx.progress.step(size + " rules: starting plain Spring Cloud Gateway");
                long start = System.nanoTime();
                instance = ctx.peers.startPlainScg("plain-scg-" + size, ctx.ports.plainScg(), Optional.of(hosts));
                ready = (System.nanoTime() - start) / 1_000_000;
                targets.addAll(firstAndLast("plain-scg", ctx.peers.url(ctx.ports.plainScg()), hosts, instance));
            }
            setup.row(Numbers.count(size), Numbers.count(hosts), applied < 0 ? "-" : Numbers.count(applied),
                    ready < 0 ? "-" : Numbers.count(ready));
            try {
                for (Target target : targets) {
                    Rounds.warmUp(ctx, id(), target, warmup(ctx.profile), size + " rules: " + target.name());
                }
                bySize.put(size, ClosedLoopSummary.of(Rounds.closedLoop(ctx, id(), size + " rules", targets,
                        ctx.profile.routes())));
            } finally {
                if (instance != null) {
                    ctx.launcher.stop(instance);
                }
            }
        }
        report(ctx, section, bySize, setup);
    }

    private static int warmup(Profile profile) {
        return Math.max(1, Math.min(5, profile.jvmWarmup() / 9));
    }

    /** Host svc-0000 path /r0/ (the first rule) and the last host's last prefix (the last rule). */
    private static List<Target> firstAndLast(String name, String url, int hosts, Started process) {
        return List.of(
                new Target(name + "-first", url + "r0/x", List.of("Host: svc-0000.bench.local"), process),
                new Target(name + "-last", url + "r" + (RULES_PER_HOST - 1) + "/x",
                        List.of(String.format("Host: svc-%04d.bench.local", hosts - 1)), process));
    }

    private void report(Context ctx, Section section, Map<Integer, Map<String, ClosedLoopSummary>> bySize,
            Table setup) {
        section.paragraph("Tables of " + RULES_PER_HOST + " rules per host (`svc-NNNN.bench.local`, uri prefixes "
                + "`/r0/` … `/r9/`), the first rule (first host, `/r0/`) and the last (last host, `/r9/`). The "
                + "gateway's config is replaced in its watched directory; plain Spring Cloud Gateway is started "
                + "with the same routes (Host and Path predicates, in the same order, from its Java DSL). wrk, "
                + ctx.profile.routes().rounds() + " round(s) of " + ctx.profile.routes().seconds()
                + " s per target; medians.").table(setup);
        Table table = new Table("rules", "target", "req/s (median)", "p50 ms", "p99 ms", "errors",
                "last / first");
        List<String> series = List.of("gateway-first", "gateway-last", "plain-scg-first", "plain-scg-last");
        bySize.forEach((size, s) -> s.forEach((name, t) -> table.row(Numbers.count(size), name,
                Numbers.count(t.rps()), Numbers.millis(t.p50()), Numbers.millis(t.p99()), t.errorsText(),
                name.endsWith("-last") ? Numbers.ratio(lastOverFirst(s, name.replace("-last", ""))) : "")));
        section.table(table);
        List<String> sizes = bySize.keySet().stream().map(n -> Numbers.count(n) + " rules").toList();
        section.chart("routes.svg", "requests per second by route-table size", BarChart.render(
                "Route tables: requests/s at the first and the last rule", "requests per second", sizes,
                series.stream().map(name -> new BarChart.Series(name, bySize.values().stream()
                        .map(s -> s.containsKey(name) ? s.get(name).rps() : Double.NaN).toList())).toList()));
        Map<String, ClosedLoopSummary> largest = bySize.get(10_000);
        double ratio = largest == null ? Double.NaN : lastOverFirst(largest, "gateway");
        section.check(Double.isNaN(ratio)
                ? Check.notMeasured(TARGET, "10,000 rules on the gateway not in this run")
                : new Check(TARGET, Numbers.count(largest.get("gateway-last").rps()) + " vs "
                        + Numbers.count(largest.get("gateway-first").rps()) + " req/s: " + Numbers.ratio(ratio),
                        Check.Verdict.of(ratio >= 0.9)));
    }

    private static double lastOverFirst(Map<String, ClosedLoopSummary> s, String name) {
        ClosedLoopSummary first = s.get(name + "-first");
        ClosedLoopSummary last = s.get(name + "-last");
        return first == null || last == null ? Double.NaN : Numbers.divide(last.rps(), first.rps());
    }
}
