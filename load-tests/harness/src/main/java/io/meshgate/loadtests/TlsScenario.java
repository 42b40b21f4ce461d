package io.meshgate.loadtests;

import io.meshgate.loadtests.bench.GatewayConfigs;
import io.meshgate.loadtests.bench.Http;
import io.meshgate.loadtests.bench.Started;
import io.meshgate.loadtests.bench.Target;
import io.meshgate.loadtests.report.BarChart;
import io.meshgate.loadtests.report.Numbers;
import io.meshgate.loadtests.report.Section;
import io.meshgate.loadtests.report.Table;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Scenario 4: TLS termination, over keep-alive connections and with a new connection (a full handshake) for every
 * request, on the gateway, nginx and HAProxy with the same certificate.
 */
final class TlsScenario implements Scenario {

    @Override
    public String id() {
        return "tls";
    }

    @Override
    public String title() {
        return "TLS termination: HTTPS keep-alive and new handshakes";
    }

    @Override
    public double plannedSeconds(Profile profile) {
        return profile.tls().plannedSeconds(6) + 2 * warmup(profile) + 5;
    }

    @Override
    public void run(Context ctx, Section section) throws Exception {
        List<Target> keepAlive = new ArrayList<>();
        Started gateway = ctx.gateway;
        if (gateway != null) {
            ctx.gatewayConfig.apply(GatewayConfigs.oneRoute(ctx.ports.backend(), ctx.layout.tls()),
                    Duration.ofSeconds(60));
            String url = "https://127.0.0.1:" + ctx.ports.gatewayTls() + "/";
            if (Http.awaitOk(url, null, Duration.ofSeconds(10), gateway.process()) < 0) {
                section.skip("the gateway serves no HTTPS on its TLS port with an HTTPS Gateway server "
                        + "(TLS termination is not built in this version)");
                return;
            }
            keepAlive.add(new Target("gateway-tls", url, List.of(Context.HOST), gateway));
        }
        if (ctx.nginx != null) {
            keepAlive.add(new Target("nginx-tls", "https://127.0.0.1:" + ctx.ports.nginxTls() + "/", List.of(),
                    ctx.nginx));
        }
        if (ctx.haproxy != null) {
            keepAlive.add(new Target("haproxy-tls", "https://127.0.0.1:" + ctx.ports.haproxyTls() + "/", List.of(),
                    ctx.haproxy));
        }
        List<Target> targets = new ArrayList<>(keepAlive);
        keepAlive.forEach(t -> targets.add(t.named(t.name() + "-new").withHeader("Connection: close")));
        for (Target target : targets) {
            if (target.name().startsWith("gateway")) {
                Rounds.warmUp(ctx, id(), target, warmup(ctx.profile), target.name());
            }
        }
        Map<String, ClosedLoopSummary> s = ClosedLoopSummary.of(
                Rounds.closedLoop(ctx, id(), "tls", targets, ctx.profile.tls()));
        section.paragraph("wrk over TLS (HTTP/1.1; no SNI, which the `*` server serves; TLS 1.3 with the run's "
                + "self-signed ECDSA P-256 certificate), " + ctx.wrk.connections() + " connections. The `-new` "
                + "targets send `Connection: close`: every request is a new TCP connection and a full handshake "
                + "(wrk resumes no sessions), so their requests/s are handshakes per second. wrk's own handshakes "
                + "load the load generator's CPU as much as the server's.");
        Table table = new Table("target", "req/s (median)", "req/s per round", "p50 ms", "p99 ms", "errors",
                "vs nginx", "proxy CPU µs/req", "CPU busy % (load generator / proxy)");
        s.forEach((name, t) -> {
            ClosedLoopSummary nginx = s.get(name.endsWith("-new") ? "nginx-tls-new" : "nginx-tls");
            table.row(name, Numbers.count(t.rps()), t.perRound(), Numbers.millis(t.p50()), Numbers.millis(t.p99()),
                    t.errorsText(), Numbers.ratio(Numbers.divide(t.rps(), nginx == null ? Double.NaN : nginx.rps())),
                    Numbers.decimal(t.cpuMicrosPerRequest(), 1), t.busy(ctx.cpus.loadGenerator(), ctx.cpus.proxy()));
        });
        section.table(table);
        List<String> names = List.copyOf(s.keySet());
        section.chart("tls.svg", "TLS requests and handshakes per second", BarChart.render(
                "TLS: keep-alive requests/s and new handshakes/s (-new)", "per second", names,
                List.of(new BarChart.Series("req/s", names.stream().map(n -> s.get(n).rps()).toList()))));
    }

    private static int warmup(Profile profile) {
        return Math.max(1, Math.min(10, profile.jvmWarmup() / 4));
    }
}
