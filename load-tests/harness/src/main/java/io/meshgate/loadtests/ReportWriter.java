package io.meshgate.loadtests;

import io.meshgate.loadtests.report.Check;
import io.meshgate.loadtests.report.Section;
import io.meshgate.loadtests.report.Table;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Writes {@code report.md}: the run, the targets met or missed, the machine, every scenario's section, the method. */
final class ReportWriter {

    /** Where the report heads say what run it was. */
    record Run(String date, String command, String started, double seconds, double plannedSeconds) {
    }

    private ReportWriter() {
    }

    static Path write(Context ctx, Run run, Map<String, String> setup, List<Section> sections) throws IOException {
        StringBuilder out = new StringBuilder("# Load tests: ").append(run.date());
        Profile profile = ctx.profile;
        if (!profile.isFull()) {
            out.append(" (").append(profile.name()).append(" sanity run)");
        }
        out.append("\n\n");
        if (!profile.isFull()) {
            out.append("> **A sanity run** (`--").append(profile.name()).append("`): every measurement lasted a "
                    + "second or a few, with little warm-up. The figures show that the harness works end to end; "
                    + "they are not results and must not be quoted.\n\n");
        }
        out.append("`").append(run.command()).append("`, started ").append(run.started()).append(", took ")
                .append(minutes(run.seconds())).append(" (planned ~").append(minutes(run.plannedSeconds()))
                .append(").\n\n");
        out.append("## Targets\n\n");
        Table targets = Table.ofWords("target", "measured", "verdict", "scenario");
        for (Section section : sections) {
            for (Check check : section.checks()) {
                targets.row(check.target(), check.measured(), check.verdict().text(), section.title());
            }
        }
        out.append(targets.isEmpty() ? "No scenario of this run checks a target.\n" : targets.markdown())
                .append('\n');
        out.append("## Machine and setup\n\n");
        Table machine = Table.ofWords("", "");
        setup.forEach(machine::row);
        out.append(machine.markdown()).append('\n');
        for (Section section : sections) {
            out.append(section.markdown(Options.ALL_SCENARIOS.indexOf(section.id()) + 1));
        }
        out.append(method(ctx));
        Path report = ctx.reportDir.resolve("report.md");
        Files.writeString(report, out);
        return report;
    }

    private static String method(Context ctx) {
        return """
                ## Method

                - **Backend**: nginx, one worker, answering every request 200 with a fixed 100-byte body, on the \
                backend's CPU. `direct` is the backend without a proxy.
                - **Peers**, each doing the same work (one route to the backend, HTTP/1.1 keep-alive to it) on the \
                same CPU budget (%s): nginx (one worker, `keepalive 64` upstream connections), HAProxy (`nbthread \
                1`, `http-reuse always`), plain Spring Cloud Gateway (its starter and one route, its defaults \
                otherwise: the `load-tests/plain-scg` module), and the gateway as the build ships it. Both JVMs run \
                with `%s`. Peers not under measurement stay up, idle.
                - **Warm-up**: wrk load on each JVM before the first scenario, in runs of 5 s until two in a row \
                differ by less than 3 %% (at most %d s; what each took is under "Machine and setup"), and a \
                discarded run before every measured one where the scenario says so.
                - **Rounds**: every scenario measures its targets in turn, round after round (even rounds in \
                reverse order); the report shows medians over rounds, and ratios of medians.
                - **Load generators**: wrk (closed loop, %d connections, one thread per load-generator CPU) for the \
                most a target serves, with latency at saturation; h2load (nghttp2) at a fixed rate for latency at \
                a given load, percentiles over every request.
                - **Caveats**: with 2 CPUs the load generator shares its CPU with the backend; nginx and HAProxy \
                are fast enough to saturate that CPU, so their requests/s are partly the generator's limit (their \
                *proxy CPU µs/req* is the fairer comparison). A shared or virtual machine moves figures from one \
                round to the next: differences under about 15 %% are noise.

                ## Raw data

                - `runs.tsv`: every measured run (scenario, round, target, tool, figures, its raw file).
                - `raw/<scenario>/`: wrk's and h2load's own output of every run, warm-ups included.
                - `logs/`: the gateway's and the peers' logs and the JVMs' GC logs.
                """.formatted(ctx.cpus.describe(), String.join(" ", io.meshgate.loadtests.bench.Peers.JVM_OPTIONS),
                ctx.profile.jvmWarmup(), ctx.options.connections());
    }

    static String minutes(double seconds) {
        long s = Math.round(seconds);
        return s < 60 ? s + " s" : s / 60 + " min " + s % 60 + " s";
    }
}
