package io.meshgate.loadtests;

import io.meshgate.loadtests.bench.ProcStats;
import io.meshgate.loadtests.bench.RateResult;
import io.meshgate.loadtests.bench.Started;
import io.meshgate.loadtests.bench.Target;
import io.meshgate.loadtests.bench.WrkResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures targets side by side: round after round, each visiting every target in turn (in reverse order every
 * other round, so that no target always follows the same one), each visit a discarded warm-up run and a measured
 * run. Nothing is compared across rounds alone: the report shows medians over rounds.
 */
final class Rounds {

    private Rounds() {
    }

    /** wrk against each target; per target, its measured runs in round order. */
    static Map<String, List<Measured>> closedLoop(Context ctx, String scenario, String label, List<Target> targets,
            Runs runs) throws IOException, InterruptedException {
        Map<String, List<Measured>> results = new LinkedHashMap<>();
        targets.forEach(t -> results.put(t.name(), new ArrayList<>()));
        for (int round = 1; round <= runs.rounds(); round++) {
            for (Target target : order(targets, round)) {
                String what = label + ": round " + round + "/" + runs.rounds() + ", " + target.name();
                warmUp(ctx, scenario, target, runs.warmup(), what);
                ctx.progress.step(what + " measured " + runs.seconds() + " s");
                Path raw = ctx.raw(scenario, file(label, round, target.name()) + ".txt");
                Measured measured = measure(ctx, target, runs.seconds(), raw, round);
                results.get(target.name()).add(measured);
                ctx.runs.closedLoop(new RunLog.Key(scenario, label, round, target.name(), runs.seconds()), measured,
                        raw);
            }
        }
        return results;
    }

    /** h2load at {@code rps} against each target; per target, its measured runs in round order. */
    static Map<String, List<RateResult>> fixedRate(Context ctx, String scenario, int rps, List<Target> targets,
            Runs runs) throws IOException, InterruptedException {
        Map<String, List<RateResult>> results = new LinkedHashMap<>();
        targets.forEach(t -> results.put(t.name(), new ArrayList<>()));
        String label = rps + " rps";
        for (int round = 1; round <= runs.rounds(); round++) {
            for (Target target : order(targets, round)) {
                ctx.progress.step(label + ": round " + round + "/" + runs.rounds() + ", " + target.name() + " "
                        + (runs.warmup() + runs.seconds()) + " s");
                Path raw = ctx.raw(scenario, file(label, round, target.name()) + ".txt");
                RateResult result = ctx.h2load.run(target, rps, runs.seconds(), runs.warmup(), raw);
                results.get(target.name()).add(result);
                ctx.runs.fixedRate(new RunLog.Key(scenario, label, round, target.name(), runs.seconds()), result, raw);
            }
        }
        return results;
    }

    /** A discarded wrk run; its output is kept beside the measured ones. */
    static void warmUp(Context ctx, String scenario, Target target, int seconds, String what)
            throws IOException, InterruptedException {
        if (seconds <= 0) {
            return;
        }
        ctx.progress.step(what + " warm-up " + seconds + " s");
        ctx.wrk.run(target, seconds, ctx.raw(scenario, "warmup-" + target.name() + ".txt"));
    }

    private static Measured measure(Context ctx, Target target, int seconds, Path raw, int round)
            throws IOException, InterruptedException {
        Started process = target.process();
        long pid = process == null ? -1 : process.pid();
        Map<String, long[]> cpuBefore = ProcStats.cpuSnapshot();
        long ticksBefore = pid < 0 ? -1 : ProcStats.cpuTicks(pid);
        WrkResult wrk = ctx.wrk.run(target, seconds, raw);
        long ticksAfter = pid < 0 ? -1 : ProcStats.cpuTicks(pid);
        Map<String, Double> busy = ProcStats.busyPercent(cpuBefore, ProcStats.cpuSnapshot());
        double cpuMicros = ticksBefore < 0 || ticksAfter < 0 || wrk.requests() == 0 ? Double.NaN
                : (ticksAfter - ticksBefore) / ProcStats.TICKS_PER_SECOND * 1e6 / wrk.requests();
        return new Measured(round, wrk, cpuMicros, pid < 0 ? -1 : ProcStats.rssKib(pid), busy);
    }

    private static List<Target> order(List<Target> targets, int round) {
        List<Target> order = new ArrayList<>(targets);
        if (round % 2 == 0) {
            Collections.reverse(order);
        }
        return order;
    }

    private static String file(String label, int round, String target) {
        return (label + "-r" + round + "-" + target).replaceAll("[^A-Za-z0-9._-]+", "-");
    }
}
