package io.meshgate.loadtests;

import static java.util.Objects.requireNonNull;

import io.meshgate.loadtests.bench.CpuLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The command line of {@code load-tests/run.sh}.
 *
 * @param scenarios ids of the scenarios to run, in the report's order
 * @param targets   names of the targets to measure ({@code direct nginx haproxy plain-scg gateway}); all if empty
 * @param out       the report's directory; by default {@code load-tests/results/<date>[-quick]}
 */
public record Options(Path root, Profile profile, List<String> scenarios, Set<String> targets, @Nullable Path out,
        int portBase, @Nullable CpuLayout cpus, int connections, boolean planOnly) {

    /** Every target the harness knows. */
    public static final List<String> TARGETS = List.of("direct", "nginx", "haproxy", "plain-scg", "gateway");

    static final String USAGE = """
            load-tests/run.sh [--quick] [SCENARIO...] [options]

            Builds what is missing, starts a backend, the peers and the gateway (each pinned to CPUs), runs the
            scenarios, stops everything it started (by PID) and writes load-tests/results/<date>/report.md with
            tables, SVG charts and the raw data. A full run of every scenario also refreshes load-tests/RESULTS.md.

            Scenarios (the first eight by default, in this order):
              throughput    1. requests/s and p50/p99 of every target at saturation (wrk)
              latency       2. p50/p99/p99.9 at 1,000 and 5,000 requests/s (h2load), added over direct
              routes        3. 10, 1,000 and 10,000 rules: first and last rule, gateway and plain Spring Cloud Gateway
              tls           4. HTTPS keep-alive and new TLS handshakes per second
              canary        5. a 90/10 split under load: observed against configured weights
              churn         6. 100 config changes under load: errors
              backend-kill  7. one of three backends killed under load: errors and recovery time
              soak          8. 10 minutes at 50 % of the gateway's maximum: memory, GC pauses, file descriptors
            Only when named:
              startup       time to ready, gateway and plain Spring Cloud Gateway started alternately
              policy        the gateway with and without DestinationRule policy (LEAST_REQUEST, outlier
                            detection, connectionPool), same backend

            Options:
              --quick              every scenario, short (under 3 minutes): a sanity pass, not figures to quote
              --smoke              the harness's own test: seconds per scenario
              --targets LIST       measure only these (comma-separated: direct,nginx,haproxy,plain-scg,gateway)
              --out DIR            write the report there
              --port-base N        first of the 70 loopback ports the run uses (default 18000; must be free)
              --cpus L:B:P         taskset CPU lists of load generator, backend and proxy (default: by CPU count)
              --connections N      wrk and h2load connections (default 50)
              --plan               print how long the run would take, and start nothing
            """;

    /** The scenarios a run without names runs. */
    public static final List<String> DEFAULT_SCENARIOS = List.of("throughput", "latency", "routes", "tls", "canary",
            "churn", "backend-kill", "soak");
    static final List<String> ALL_SCENARIOS = List.of("throughput", "latency", "routes", "tls", "canary", "churn",
            "backend-kill", "soak", "startup", "policy");

    public Options {
        requireNonNull(root, "root");
        requireNonNull(profile, "profile");
        scenarios = List.copyOf(scenarios);
        targets = Set.copyOf(targets);
    }

    public static Options parse(List<String> args) {
        Path root = Path.of("").toAbsolutePath();
        Profile profile = Profile.full();
        Set<String> names = new LinkedHashSet<>();
        Set<String> targets = new LinkedHashSet<>();
        Path out = null;
        int portBase = 18_000;
        CpuLayout cpus = null;
        int connections = 50;
        boolean plan = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--quick" -> profile = Profile.quick();
                case "--smoke" -> profile = Profile.smoke();
                case "--plan" -> plan = true;
                case "--root" -> root = Path.of(value(args, ++i, arg)).toAbsolutePath();
                case "--out" -> out = Path.of(value(args, ++i, arg)).toAbsolutePath();
                case "--port-base" -> portBase = Integer.parseInt(value(args, ++i, arg));
                case "--cpus" -> cpus = CpuLayout.parse(value(args, ++i, arg));
                case "--connections" -> connections = Integer.parseInt(value(args, ++i, arg));
                case "--targets" -> targets.addAll(List.of(value(args, ++i, arg).split(",")));
                default -> {
                    if (!ALL_SCENARIOS.contains(arg)) {
                        throw new IllegalArgumentException("unknown argument: " + arg + "\n\n" + USAGE);
                    }
                    names.add(arg);
                }
            }
        }
        for (String target : targets) {
            if (!TARGETS.contains(target)) {
                throw new IllegalArgumentException("--targets: " + target + " (expected: some of " + TARGETS + ")");
            }
        }
        List<String> scenarios = new ArrayList<>();
        ALL_SCENARIOS.stream().filter(s -> names.isEmpty() ? DEFAULT_SCENARIOS.contains(s) : names.contains(s))
                .forEach(scenarios::add);
        return new Options(root, profile, scenarios, targets, out, portBase, cpus, connections, plan);
    }

    /** Whether a target takes part (all do unless --targets names some). */
    public boolean measures(String target) {
        return targets.isEmpty() || targets.contains(target);
    }

    /** A full run of every default scenario and target: the one whose figures RESULTS.md shows. */
    public boolean complete() {
        return profile.isFull() && scenarios.equals(DEFAULT_SCENARIOS) && targets.isEmpty();
    }

    public Optional<Path> outDir() {
        return Optional.ofNullable(out);
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new IllegalArgumentException(option + " needs a value\n\n" + USAGE);
        }
        return args.get(i);
    }
}
