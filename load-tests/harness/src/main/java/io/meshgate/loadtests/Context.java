package io.meshgate.loadtests;

import static java.util.Objects.requireNonNull;

import io.meshgate.loadtests.bench.CpuLayout;
import io.meshgate.loadtests.bench.GatewayControl;
import io.meshgate.loadtests.bench.H2load;
import io.meshgate.loadtests.bench.Launcher;
import io.meshgate.loadtests.bench.Layout;
import io.meshgate.loadtests.bench.Peers;
import io.meshgate.loadtests.bench.Ports;
import io.meshgate.loadtests.bench.Started;
import io.meshgate.loadtests.bench.Target;
import io.meshgate.loadtests.bench.Wrk;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What the scenarios of one run share: the options, where things are, the running processes, the load generators,
 * the gateway's config, the report's directories, the progress line and the log of runs. The processes change as
 * scenarios start and stop peers; the rest is fixed for the run.
 */
final class Context {

    /** The Host header the gateway's targets send (its one-route config serves every host). */
    static final String HOST = "Host: bench.local";

    final Options options;
    final Profile profile;
    final Layout layout;
    final Ports ports;
    final CpuLayout cpus;
    final Launcher launcher;
    final Peers peers;
    final H2load h2load;
    final Wrk wrk;
    final GatewayControl gatewayConfig;
    final Path reportDir;
    final Progress progress;
    final RunLog runs;

    @Nullable Started backend;
    @Nullable Started nginx;
    @Nullable Started haproxy;
    @Nullable Started plainScg;
    @Nullable Started gateway;
    /** The gateway's median requests/s of scenario 1, which scenario 8 runs at half of. */
    double gatewayMaxRps = Double.NaN;

    Context(Options options, Layout layout, Ports ports, CpuLayout cpus, Launcher launcher, Path reportDir,
            Progress progress) {
        this.options = requireNonNull(options, "options");
        this.profile = options.profile();
        this.layout = requireNonNull(layout, "layout");
        this.ports = requireNonNull(ports, "ports");
        this.cpus = requireNonNull(cpus, "cpus");
        this.launcher = requireNonNull(launcher, "launcher");
        this.reportDir = requireNonNull(reportDir, "reportDir");
        this.progress = requireNonNull(progress, "progress");
        this.peers = new Peers(layout, ports, cpus, launcher);
        this.wrk = new Wrk(cpus.loadGenerator(), options.connections());
        this.h2load = new H2load(cpus.loadGenerator(), options.connections());
        this.gatewayConfig = new GatewayControl(layout.gatewayConfig(), ports.gatewayManagement());
        this.runs = new RunLog(reportDir.resolve("runs.tsv"));
    }

    /** A file for a tool's raw output: {@code raw/<scenario>/<name>}. */
    Path raw(String scenario, String name) {
        try {
            return Files.createDirectories(reportDir.resolve("raw").resolve(scenario)).resolve(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The one-route targets that run and are measured, in the report's order. */
    List<Target> oneRouteTargets() {
        List<Target> targets = new ArrayList<>();
        if (backend != null && options.measures("direct")) {
            targets.add(new Target("direct", peers.url(ports.backend()), List.of(), backend));
        }
        if (nginx != null) {
            targets.add(new Target("nginx", peers.url(ports.nginx()), List.of(), nginx));
        }
        if (haproxy != null) {
            targets.add(new Target("haproxy", peers.url(ports.haproxy()), List.of(), haproxy));
        }
        if (plainScg != null) {
            targets.add(new Target("plain-scg", peers.url(ports.plainScg()), List.of(), plainScg));
        }
        gatewayTarget().ifPresent(targets::add);
        return targets;
    }

    Optional<Target> gatewayTarget() {
        Started running = gateway;
        return running == null ? Optional.empty()
                : Optional.of(new Target("gateway", peers.url(ports.gateway()), List.of(HOST), running));
    }
}
