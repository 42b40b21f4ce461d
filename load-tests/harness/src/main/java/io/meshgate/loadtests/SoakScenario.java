package io.meshgate.loadtests;

import io.meshgate.loadtests.bench.GatewayConfigs;
import io.meshgate.loadtests.bench.GcLog;
import io.meshgate.loadtests.bench.ProcStats;
import io.meshgate.loadtests.bench.RateResult;
import io.meshgate.loadtests.bench.Started;
import io.meshgate.loadtests.bench.Target;
import io.meshgate.loadtests.bench.Tool;
import io.meshgate.loadtests.bench.WrkResult;
import io.meshgate.loadtests.report.LineChart;
import io.meshgate.loadtests.report.Numbers;
import io.meshgate.loadtests.report.Section;
import io.meshgate.loadtests.report.Table;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Scenario 8: the gateway at half its maximum for a long while (h2load at a fixed rate, in slices), its memory,
 * GC pauses and open files at the start and after every slice.
 */
final class SoakScenario implements Scenario {

    @Override
    public String id() {
        return "soak";
    }

    @Override
    public String title() {
        return "Soak at 50 % of the maximum";
    }

    @Override
    public double plannedSeconds(Profile profile) {
        var soak = profile.soak();
        return soak.seconds() + soak.seconds() / soak.slice() * 1.1 + 2;
    }

    @Override
    public void run(Context ctx, Section section) throws Exception {
        Started gateway = ctx.gateway;
        Target target = ctx.gatewayTarget().orElse(null);
        if (gateway == null || target == null) {
            section.skip("the gateway is not in this run");
            return;
        }
        if (Tool.find("h2load").isEmpty()) {
            section.skip("h2load is not installed (Debian: `apt-get install nghttp2-client`)");
            return;
        }
        ctx.gatewayConfig.apply(GatewayConfigs.oneRoute(ctx.ports.backend(), ctx.layout.tls()),
                Duration.ofSeconds(60));
        double max = ctx.gatewayMaxRps;
        String origin = "scenario 1's median";
        if (Double.isNaN(max)) {
            ctx.progress.step("finding the maximum (wrk)");
            WrkResult probe = ctx.wrk.run(target, Math.max(3, ctx.profile.throughput().seconds()),
                    ctx.raw(id(), "max.txt"));
            max = probe.rps();
            origin = "a wrk run just before";
        }
        int rate = (int) Math.max(ctx.h2load.clients(), Math.round(max / 2));
        GcLog gc = new GcLog(ctx.layout.work().resolve("logs/" + gateway.name() + "-gc.log"));
        int mark = gc.since(0).lines();
        List<Sample> samples = new ArrayList<>();
        samples.add(Sample.of(gateway.pid(), 0, gc.since(mark), null));
        var soak = ctx.profile.soak();
        int slices = Math.max(1, soak.seconds() / soak.slice());
        long start = System.nanoTime();
        for (int i = 1; i <= slices; i++) {
            ctx.progress.step(Numbers.count(rate) + " req/s, slice " + i + "/" + slices + " (" + soak.slice() + " s)");
            RateResult slice = ctx.h2load.run(target, rate, soak.slice(), 1, ctx.raw(id(), "slice-" + i + ".txt"));
            ctx.runs.fixedRate(new RunLog.Key(id(), "slice " + i, i, "gateway", soak.slice()), slice,
                    ctx.raw(id(), "slice-" + i + ".txt"));
            samples.add(Sample.of(gateway.pid(), (System.nanoTime() - start) / 1e9, gc.since(mark), slice));
        }
        report(section, samples, rate, max, origin);
    }

    private static void report(Section section, List<Sample> samples, int rate, double max, String origin) {
        Sample first = samples.get(0);
        Sample last = samples.get(samples.size() - 1);
        long requests = samples.stream().filter(s -> s.slice() != null).mapToLong(s -> s.slice().requests()).sum();
        long errors = samples.stream().filter(s -> s.slice() != null).mapToLong(s -> s.slice().errors()).sum();
        section.paragraph("h2load at " + Numbers.count(rate) + " requests/s, half of the gateway's maximum ("
                + Numbers.count(max) + " req/s, " + origin + "), in slices of one measured run each; memory, "
                + "open files and GC pauses (the gateway's GC log) at the start and after every slice. "
                + Numbers.count(requests) + " requests, " + errors + " errors.");
        section.table(new Table("", "start", "end")
                .row("RSS MiB", Numbers.decimal(first.rssMib(), 0), Numbers.decimal(last.rssMib(), 0))
                .row("open file descriptors", first.fds(), last.fds())
                .row("GC pauses during the soak", "-", last.gc().count())
                .row("GC pause time total / longest (ms)", "-", Numbers.millis(last.gc().totalMillis()) + " / "
                        + Numbers.millis(last.gc().maxMillis())));
        Table slices = new Table("after s", "achieved req/s", "p50 ms", "p99 ms", "p99.9 ms", "errors", "RSS MiB",
                "open files", "GC pauses so far");
        samples.stream().filter(s -> s.slice() != null).forEach(s -> slices.row(Numbers.count(s.seconds()),
                Numbers.count(s.slice().achievedRps()), Numbers.millis(s.slice().p50()),
                Numbers.millis(s.slice().p99()), Numbers.millis(s.slice().p999()), s.slice().errors(),
                Numbers.decimal(s.rssMib(), 0), s.fds(), s.gc().count()));
        section.table(slices);
        section.chart("soak-memory.svg", "RSS over the soak", LineChart.render("Soak: gateway RSS (MiB)",
                "seconds", "MiB", List.of(new LineChart.Line("RSS", samples.stream()
                        .map(s -> new double[] {s.seconds(), s.rssMib()}).toList()))));
        section.chart("soak-latency.svg", "latency over the soak", LineChart.render("Soak: latency per slice (ms)",
                "seconds", "milliseconds", List.of(
                        new LineChart.Line("p50", points(samples, 50)), new LineChart.Line("p99", points(samples, 99)),
                        new LineChart.Line("p99.9", points(samples, 999)))));
    }

    private static List<double[]> points(List<Sample> samples, int pct) {
        return samples.stream().filter(s -> s.slice() != null).map(s -> new double[] {s.seconds(),
            pct == 50 ? s.slice().p50() : pct == 99 ? s.slice().p99() : s.slice().p999()}).toList();
    }

    /** The gateway's figures at one moment of the soak, and the slice that ended there. */
    private record Sample(double seconds, double rssMib, int fds, GcLog.Pauses gc,
            @Nullable RateResult slice) {

        static Sample of(long pid, double seconds, GcLog.Pauses gc, @Nullable RateResult r) {
            return new Sample(seconds, ProcStats.rssKib(pid) / 1024.0, ProcStats.openFiles(pid), gc, r);
        }
    }
}
