package io.meshgate.loadtests;

import io.meshgate.loadtests.bench.GatewayConfigs;
import io.meshgate.loadtests.bench.Started;
import io.meshgate.loadtests.report.Numbers;
import io.meshgate.loadtests.report.Section;
import io.meshgate.loadtests.report.Table;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Time to ready (launch to the first proxied 200): the gateway and plain Spring Cloud Gateway started alternately,
 * each on ports of its own and the proxy's CPU, each stopped before the next starts. Not in the default run.
 */
final class StartupScenario implements Scenario {

    @Override
    public String id() {
        return "startup";
    }

    @Override
    public String title() {
        return "Time to ready";
    }

    @Override
    public double plannedSeconds(Profile profile) {
        return rounds(profile) * 20.0;
    }

    @Override
    public void run(Context ctx, Section section) throws Exception {
        // the instances started here read the running gateway's directory: it must serve any host
        ctx.gatewayConfig.apply(GatewayConfigs.oneRoute(ctx.ports.backend(), ctx.layout.tls()),
                Duration.ofSeconds(60));
        int base = ctx.ports.startup();
        List<Double> gateway = new ArrayList<>();
        List<Double> scg = new ArrayList<>();
        Table table = new Table("start", "gateway ms", "plain SCG ms");
        for (int i = 1; i <= rounds(ctx.profile); i++) {
            double g = Double.NaN;
            if (ctx.options.measures("gateway")) {
                ctx.progress.step("start " + i + "/" + rounds(ctx.profile) + ": gateway");
                long t0 = System.nanoTime();
                Started started = ctx.peers.startGateway("startup-gateway-" + i, base, base + 1, base + 2, "x");
                g = (System.nanoTime() - t0) / 1e6;
                ctx.launcher.stop(started);
                gateway.add(g);
            }
            double s = Double.NaN;
            if (ctx.options.measures("plain-scg")) {
                ctx.progress.step("start " + i + "/" + rounds(ctx.profile) + ": plain Spring Cloud Gateway");
                long t0 = System.nanoTime();
                Started started = ctx.peers.startPlainScg("startup-plain-scg-" + i, base + 3, Optional.empty());
                s = (System.nanoTime() - t0) / 1e6;
                ctx.launcher.stop(started);
                scg.add(s);
            }
            table.row(i, Numbers.count(g), Numbers.count(s));
        }
        double g = Numbers.median(gateway);
        double s = Numbers.median(scg);
        table.row("**median**", Numbers.count(g), Numbers.count(s));
        section.paragraph("Launch to the first 200 proxied to the backend (a request every 50 ms), both JVMs with "
                + "the same flags on the proxy's CPU, the gateway "
                + (ctx.layout.gatewayArchive().isPresent() ? "as the build ships it (with its class data sharing "
                        + "archive)" : "from its single jar (no class data sharing archive: built with -Dcds.skip)")
                + ". gateway / plain SCG: " + Numbers.ratio(Numbers.divide(g, s)) + ".")
                .table(table);
    }

    private static int rounds(Profile profile) {
        return profile.isFull() ? 5 : 1;
    }
}
