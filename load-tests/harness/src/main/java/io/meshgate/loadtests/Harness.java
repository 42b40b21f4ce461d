package io.meshgate.loadtests;

import io.meshgate.loadtests.bench.CpuLayout;
import io.meshgate.loadtests.bench.GatewayConfigs;
import io.meshgate.loadtests.bench.GatewayControl;
import io.meshgate.loadtests.bench.Launcher;
import io.meshgate.loadtests.bench.Layout;
import io.meshgate.loadtests.bench.Peers;
import io.meshgate.loadtests.bench.Ports;
import io.meshgate.loadtests.bench.Target;
import io.meshgate.loadtests.bench.Tool;
import io.meshgate.loadtests.bench.WrkResult;
import io.meshgate.loadtests.report.Numbers;
import io.meshgate.loadtests.report.Section;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One run: checks the tools, starts the backend, the peers and the gateway, warms the JVMs, runs the scenarios in
 * order, stops everything it started, and writes the report (and, after a full run, RESULTS.md).
 */
final class Harness {

    private static final List<Scenario> SCENARIOS = List.of(new ThroughputScenario(), new LatencyScenario(),
            new RouteScalingScenario(), new TlsScenario(), new CanaryScenario(), new ChurnScenario(),
            new BackendKillScenario(), new SoakScenario(), new StartupScenario(), new PolicyScenario());

    private final Options options;
    private final PrintStream err;
    private final boolean pinSelf;

    /** {@code pinSelf}: move this JVM onto the load generator's CPUs (when it runs as its own process). */
    Harness(Options options, PrintStream err, boolean pinSelf) {
        this.options = options;
        this.err = err;
        this.pinSelf = pinSelf;
    }

    /** Runs and returns the report's path; fails before starting anything if a tool or a port is missing. */
    Path run() throws Exception {
        Ports ports = preflight();
        Layout layout = new Layout(options.root(), Files.createTempDirectory("meshgate-load-tests-"),
                Layout.currentJava());
        CpuLayout cpus = options.cpus() != null ? options.cpus() : CpuLayout.forCpus(Machine.cpuCount());
        Path reportDir = Files.createDirectories(options.outDir().orElseGet(this::defaultReportDir));
        if (pinSelf) {
            // this JVM's threads (and those it starts) stay off the proxy's CPUs
            Tool.output(List.of("taskset", "-a", "-p", "-c", cpus.loadGenerator(),
                    Long.toString(ProcessHandle.current().pid())));
        }
        try (Launcher launcher = new Launcher(layout.work())) {
            Thread stopAll = new Thread(launcher::close, "load-tests-stop");
            Runtime.getRuntime().addShutdownHook(stopAll);
            Context ctx = new Context(options, layout, ports, cpus, launcher, reportDir,
                    new Progress(err, System.console() != null));
            Path report = measure(ctx);
            Runtime.getRuntime().removeShutdownHook(stopAll);
            return report;
        }
    }

    private Ports preflight() {
        List<String> missing = Stream.of("wrk", "nginx", "openssl", "taskset")
                .filter(tool -> Tool.find(tool).isEmpty()).toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("missing: " + missing + " (Debian: apt-get install wrk nginx openssl "
                    + "util-linux; load-tests/run.sh installs them)");
        }
        Ports ports = new Ports(options.portBase());
        if (!ports.busy().isEmpty()) {
            throw new IllegalStateException("ports " + ports.busy() + " are in use; choose another --port-base");
        }
        return ports;
    }

    /** Starts the peers, warms the JVMs, runs the scenarios, stops everything and writes the report. */
    private Path measure(Context ctx) throws Exception {
        List<Scenario> scenarios = scenarios(options);
        String started = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm"))
                + " UTC";
        Progress progress = ctx.progress;
        progress.plan(plannedSeconds(options.profile(), scenarios));
        progress.note("report: " + ctx.reportDir + "; work directory (configs, logs, PIDs): " + ctx.layout.work());
        startPeers(ctx, scenarios);
        Map<String, String> setup = setup(ctx);
        Map<String, String> warm = warmUp(ctx);
        if (!warm.isEmpty()) {
            setup.put("JVM warm-up", warm.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                    .collect(Collectors.joining(", ")));
        }
        List<Section> sections = new ArrayList<>();
        for (int i = 0; i < scenarios.size(); i++) {
            sections.add(runScenario(ctx, scenarios.get(i), i + 1, scenarios.size()));
        }
        progress.step("stopping what the run started");
        ctx.launcher.close();
        copyLogs(ctx.layout, ctx.reportDir);
        Path report = ReportWriter.write(ctx, new ReportWriter.Run(LocalDate.now(ZoneOffset.UTC).toString(),
                command(), started, progress.elapsedSeconds(), progress.plannedSeconds()), setup, sections);
        progress.note("report written: " + report + " (" + ReportWriter.minutes(progress.elapsedSeconds()) + ")");
        if (options.complete() && ResultsFile.update(options.root().resolve("load-tests/RESULTS.md"), report)) {
            progress.note("load-tests/RESULTS.md now shows this report");
        }
        if (sections.stream().anyMatch(s -> s.skipped().filter(r -> r.startsWith("failed")).isPresent())) {
            throw new IllegalStateException("a scenario failed; see " + report + " and " + ctx.layout.work());
        }
        delete(ctx.layout.work());
        return report;
    }

    /** About how long a run takes: start-up, the JVMs' longest warm-up, and what each scenario plans. */
    static double plannedSeconds(Profile profile, List<Scenario> scenarios) {
        return 30 + 2 * profile.jvmWarmup() + scenarios.stream().mapToDouble(s -> s.plannedSeconds(profile)).sum();
    }

    /** The scenarios the options name, in the report's order. */
    static List<Scenario> scenarios(Options options) {
        return SCENARIOS.stream().filter(s -> options.scenarios().contains(s.id())).toList();
    }

    private Section runScenario(Context ctx, Scenario scenario, int index, int total) {
        Section section = new Section(scenario.id(), scenario.title(), ctx.reportDir);
        ctx.progress.scenario(index, total, scenario.id());
        ctx.progress.step("starting");
        double start = ctx.progress.elapsedSeconds();
        try {
            scenario.run(ctx, section);
        } catch (Exception e) {
            section.skip("failed: " + e);
            ctx.progress.note(scenario.id() + " failed: " + e);
        }
        section.took(ctx.progress.elapsedSeconds() - start);
        section.skipped().ifPresent(reason -> ctx.progress.note(scenario.id() + " skipped: " + reason));
        return section;
    }

    private void startPeers(Context ctx, List<Scenario> scenarios) throws IOException, InterruptedException {
        boolean oneRoute = scenarios.stream().anyMatch(s -> s.id().equals("throughput") || s.id().equals("latency"));
        boolean tls = scenarios.stream().anyMatch(s -> s.id().equals("tls"));
        ctx.progress.step("starting the backend");
        ctx.backend = ctx.peers.startBackend();
        ctx.peers.certificate();
        if ((oneRoute || tls) && options.measures("nginx")) {
            ctx.progress.step("starting nginx");
            ctx.nginx = ctx.peers.startNginx();
        }
        if ((oneRoute || tls) && options.measures("haproxy")) {
            if (Tool.find("haproxy").isEmpty()) {
                ctx.progress.note("haproxy is not installed (apt-get install haproxy): not measured");
            } else {
                ctx.progress.step("starting HAProxy");
                ctx.haproxy = ctx.peers.startHaproxy();
            }
        }
        if (oneRoute && options.measures("plain-scg")) {
            ctx.progress.step("starting plain Spring Cloud Gateway");
            ctx.plainScg = ctx.peers.startPlainScg("plain-scg", ctx.ports.plainScg(), java.util.Optional.empty());
        }
        if (options.measures("gateway")) {
            ctx.progress.step("starting the gateway");
            ctx.gatewayConfig.initial(GatewayConfigs.oneRoute(ctx.ports.backend(), ctx.layout.tls()));
            ctx.gateway = ctx.peers.startGateway("gateway", ctx.ports.gateway(), ctx.ports.gatewayTls(),
                    ctx.ports.gatewayManagement(), "bench.local");
        }
    }

    /**
     * Load on each JVM in runs of 5 s until two runs in a row differ by less than 3 % (after at least a third of the
     * profile's warm-up), at most the profile's warm-up: the JIT compilers have done their work when the rate stops
     * rising. Returns what each took, for the report.
     */
    private Map<String, String> warmUp(Context ctx) throws IOException, InterruptedException {
        Map<String, String> took = new LinkedHashMap<>();
        int max = ctx.profile.jvmWarmup();
        int chunk = Math.min(5, max);
        for (Target target : ctx.oneRouteTargets()) {
            if (!target.name().equals("gateway") && !target.name().equals("plain-scg")) {
                continue;
            }
            double last = Double.NaN;
            int spent = 0;
            while (spent < max) {
                WrkResult run = ctx.wrk.run(target, chunk, ctx.raw("warmup", target.name() + "-" + spent + ".txt"));
                spent += chunk;
                ctx.progress.step("JVM warm-up, " + target.name() + ": " + spent + " s, " + Numbers.count(run.rps())
                        + " req/s");
                boolean steady = !Double.isNaN(last) && Math.abs(run.rps() - last) <= 0.03 * last;
                last = run.rps();
                if (steady && spent >= max / 3) {
                    break;
                }
            }
            took.put(target.name(), spent + " s (last " + Numbers.count(last) + " req/s)");
        }
        return took;
    }

    private Map<String, String> setup(Context ctx) {
        Map<String, String> rows = new LinkedHashMap<>(Machine.describe(options.root()));
        if (ctx.gateway != null) {
            rows.put("gateway transport", GatewayControl.transport(ctx.gateway.pid()));
            rows.put("gateway TLS provider", GatewayControl.tlsProvider(ctx.gateway.log()));
        }
        rows.put("CPU layout", ctx.cpus.describe());
        rows.put("JVM flags", String.join(" ", Peers.JVM_OPTIONS) + " and a GC log, for both JVMs"
                + (ctx.layout.gatewayArchive().isPresent() ? "; the gateway with its class data sharing archive"
                        : "; the gateway from its single jar, without class data sharing archive"));
        rows.put("profile", ctx.profile.name() + ": JVM warm-up up to " + ctx.profile.jvmWarmup()
                + " s, throughput " + describe(ctx.profile.throughput()) + ", latency "
                + describe(ctx.profile.latency()) + ", routes " + describe(ctx.profile.routes()) + ", TLS "
                + describe(ctx.profile.tls()) + ", soak " + ctx.profile.soak().seconds() + " s");
        rows.put("ports", "127.0.0.1:" + ctx.ports.base() + " to " + (ctx.ports.base() + 69));
        return rows;
    }

    private static String describe(Runs runs) {
        return runs.rounds() + " × (" + runs.warmup() + " + " + runs.seconds() + " s)";
    }

    private Path defaultReportDir() {
        String name = LocalDate.now(ZoneOffset.UTC).toString() + (options.profile().isFull() ? ""
                : "-" + options.profile().name())
                + (options.scenarios().equals(Options.DEFAULT_SCENARIOS) ? ""
                        : "-" + String.join("-", options.scenarios()));
        Path results = options.root().resolve("load-tests/results");
        Path dir = results.resolve(name);
        for (int i = 2; Files.exists(dir); i++) {
            dir = results.resolve(name + "-" + i);
        }
        return dir;
    }

    private String command() {
        List<String> args = new ArrayList<>();
        if (!options.profile().isFull()) {
            args.add("--" + options.profile().name());
        }
        if (!options.scenarios().equals(Options.DEFAULT_SCENARIOS)) {
            args.addAll(options.scenarios());
        }
        if (!options.targets().isEmpty()) {
            args.add("--targets " + String.join(",", Options.TARGETS.stream().filter(options::measures).toList()));
        }
        return ("load-tests/run.sh " + String.join(" ", args)).trim();
    }

    /** The work directory, once its logs are in the report: configs, certificates, nginx's temporary files. */
    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    private static void copyLogs(Layout layout, Path reportDir) throws IOException {
        Path logs = Files.createDirectories(reportDir.resolve("logs"));
        try (Stream<Path> files = Files.list(layout.work().resolve("logs"))) {
            for (Path file : files.toList()) {
                Files.copy(file, logs.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
