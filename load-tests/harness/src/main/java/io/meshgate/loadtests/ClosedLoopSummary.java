package io.meshgate.loadtests;

import io.meshgate.loadtests.report.Numbers;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A target's closed-loop runs as the report shows them: medians over rounds of requests/s, latency percentiles,
 * CPU per request and CPU busy shares; errors summed; memory after the last run.
 */
record ClosedLoopSummary(double rps, List<Double> rpsPerRound, double p50, double p99, long errors,
        int failedRuns, double cpuMicrosPerRequest, long rssKib, Map<String, Double> busy) {

    static ClosedLoopSummary of(List<Measured> runs) {
        Map<String, List<Double>> busy = new TreeMap<>();
        runs.forEach(m -> m.busy().forEach((cpu, pct) -> busy.computeIfAbsent(cpu, c -> new java.util.ArrayList<>())
                .add(pct)));
        return new ClosedLoopSummary(
                Numbers.median(runs.stream().filter(m -> m.wrk().ok()).map(m -> m.wrk().rps()).toList()),
                runs.stream().map(m -> m.wrk().ok() ? m.wrk().rps() : Double.NaN).toList(),
                Numbers.median(runs.stream().filter(m -> m.wrk().ok()).map(m -> m.wrk().p50()).toList()),
                Numbers.median(runs.stream().filter(m -> m.wrk().ok()).map(m -> m.wrk().p99()).toList()),
                runs.stream().mapToLong(m -> m.wrk().errors()).sum(),
                (int) runs.stream().filter(m -> !m.wrk().ok()).count(),
                Numbers.median(runs.stream().map(Measured::cpuMicrosPerRequest).toList()),
                runs.isEmpty() ? -1 : runs.get(runs.size() - 1).rssKib(),
                busy.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                        e -> Numbers.median(e.getValue()), (a, b) -> a, TreeMap::new)));
    }

    static Map<String, ClosedLoopSummary> of(Map<String, List<Measured>> results) {
        Map<String, ClosedLoopSummary> summaries = new java.util.LinkedHashMap<>();
        results.forEach((target, runs) -> summaries.put(target, of(runs)));
        return summaries;
    }

    String perRound() {
        return rpsPerRound.stream().map(Numbers::count).collect(Collectors.joining(" / "));
    }

    String errorsText() {
        return failedRuns == 0 ? Long.toString(errors) : errors + " (" + failedRuns + " run(s) without a result)";
    }

    String rssMib() {
        return rssKib < 0 ? "-" : Numbers.decimal(rssKib / 1024.0, 0);
    }

    /** Busy % of the first CPU of each taskset list, e.g. "98 / 99" for load generator / proxy. */
    String busy(String... cpuLists) {
        return java.util.Arrays.stream(cpuLists)
                .map(list -> busy.getOrDefault("cpu" + list.split("[,-]")[0], Double.NaN))
                .map(v -> Numbers.decimal(v, 0)).collect(Collectors.joining(" / "));
    }
}
