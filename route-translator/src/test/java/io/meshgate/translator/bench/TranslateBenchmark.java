package io.meshgate.translator.bench;

import io.meshgate.translator.load.Loaded;
import io.meshgate.translator.load.ResourceLoader;
import io.meshgate.translator.load.ResourceSet;
import io.meshgate.translator.translate.IncrementalTranslator;
import io.meshgate.translator.translate.TranslationResult;
import io.meshgate.translator.translate.Translator;
import io.meshgate.translator.translate.TranslatorOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.openjdk.jol.info.GraphLayout;

/**
 * Translation cost at scale: 10,000 http rules across 1,000 VirtualServices (10 rules each, one host each) behind
 * one Gateway, with a ServiceEntry and a DestinationRule per service. Prints the time to load the YAML, the median
 * time to translate it (after warm-up), the median time to translate it again after one VirtualService changed (as
 * the gateway does, incrementally), and the retained heap of the resulting snapshot per rule, measured with JOL.
 * Run: {@code ./mvnw -q -pl route-translator test-compile exec:exec -Dexec.executable=java
 * -Dexec.classpathScope=test -Dexec.args="-cp %classpath io.meshgate.translator.bench.TranslateBenchmark"}
 */
public final class TranslateBenchmark {

    static final int SERVICES = 1_000;
    static final int RULES_PER_SERVICE = 10;

    private TranslateBenchmark() {
    }

    public static void main(String[] args) {
        String yaml = configuration(SERVICES, RULES_PER_SERVICE);
        ResourceSet resources = null;
        long loadNanos = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long loadStart = System.nanoTime();
            resources = ResourceLoader.loadText("bench.yaml", yaml);
            loadNanos = Math.min(loadNanos, System.nanoTime() - loadStart);
        }

        TranslationResult result = null;
        for (int i = 0; i < 5; i++) {
            result = Translator.translate(resources, TranslatorOptions.DEFAULTS);
        }
        long[] runs = new long[10];
        for (int i = 0; i < runs.length; i++) {
            long start = System.nanoTime();
            result = Translator.translate(resources, TranslatorOptions.DEFAULTS);
            runs[i] = System.nanoTime() - start;
        }
        Arrays.sort(runs);
        Incremental incremental = changedOne(resources, 200);
        long[] changed = incremental.runs();
        int rules = SERVICES * RULES_PER_SERVICE;
        int routes = result.snapshot().listeners().stream().mapToInt(l -> l.virtualHosts().stream()
                .mapToInt(v -> v.routes().size()).sum()).sum();
        long retained = GraphLayout.parseInstance(result.snapshot()).totalSize();
        System.out.printf("rules=%d virtualServices=%d routes=%d clusters=%d diagnostics=%d%n", rules, SERVICES,
                routes, result.snapshot().clusters().size(), result.diagnostics().size());
        System.out.printf("load (YAML parse, bind, check; best of 3): %d ms%n", loadNanos / 1_000_000);
        System.out.printf("translate: median %d ms, min %d ms, max %d ms (10 runs after 5 warm-up)%n",
                runs[runs.length / 2] / 1_000_000, runs[0] / 1_000_000, runs[runs.length - 1] / 1_000_000);
        System.out.printf("translate after one VirtualService changed (incremental): median %.2f ms, min %.2f ms, "
                + "max %.2f ms (%d changes after %d warm-up)%n", changed[changed.length / 2] / 1e6, changed[0] / 1e6,
                changed[changed.length - 1] / 1e6, changed.length, changed.length);
        System.out.printf("incremental translator's memory beyond the snapshot and the resources: %d bytes = %d "
                + "bytes per rule%n", incremental.memory(), incremental.memory() / rules);
        System.out.printf("snapshot retained heap: %d bytes = %d bytes per rule%n", retained, retained / rules);
    }

    /** Translation times of single changes, sorted, and the heap the translator keeps besides its result. */
    private record Incremental(long[] runs, long memory) {
    }

    /**
     * Translation times, sorted, of {@code count} changes (after as many for warm-up), each to the rules of one
     * VirtualService, translated incrementally; and what the translator retains beyond the last snapshot and the
     * resources, measured with JOL.
     */
    private static Incremental changedOne(ResourceSet initial, int count) {
        List<Loaded<?>> resources = new ArrayList<>(initial.resources());
        IncrementalTranslator translator = new IncrementalTranslator(TranslatorOptions.DEFAULTS);
        TranslationResult last = translator.translate(initial);
        ResourceSet current = initial;
        long[] runs = new long[count];
        for (int i = 0; i < 2 * count; i++) {
            int service = i * 7 % SERVICES;
            String yaml = virtualService(service, RULES_PER_SERVICE, (i + 6) + "s");
            Loaded<?> edited = ResourceLoader.loadText("bench.yaml", yaml).resources().get(0);
            resources.replaceAll(r -> r.ref().equals(edited.ref()) ? edited : r);
            ResourceSet next = ResourceSet.of(resources, List.of());
            long start = System.nanoTime();
            last = translator.translate(next);
            if (i >= count) {
                runs[i - count] = System.nanoTime() - start;
            }
            current = next;
        }
        Arrays.sort(runs);
        long memory = GraphLayout.parseInstance(translator).subtract(GraphLayout.parseInstance(last, current))
                .totalSize();
        return new Incremental(runs, memory);
    }

    /** The benchmark configuration as YAML, as a user would write it. */
    static String configuration(int services, int rulesPerService) {
        StringBuilder out = new StringBuilder("""
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: public, namespace: edge}
                spec:
                  selector: {istio: ingressgateway}
                  servers:
                  - port: {number: 80, name: http, protocol: HTTP}
                    hosts: ["*/*.example.com"]
                """);
        for (int s = 0; s < services; s++) {
            out.append("---\n").append("""
                    apiVersion: networking.istio.io/v1
                    kind: ServiceEntry
                    metadata: {name: svc-%1$d, namespace: shop}
                    spec:
                      hosts: [svc-%1$d.shop.svc.cluster.local]
                      ports: [{number: 8080, name: http, protocol: HTTP}]
                      resolution: STATIC
                      endpoints:
                      - {address: 10.0.%2$d.%3$d, labels: {version: v1}}
                      - {address: 10.1.%2$d.%3$d, labels: {version: v2}}
                    ---
                    apiVersion: networking.istio.io/v1
                    kind: DestinationRule
                    metadata: {name: svc-%1$d, namespace: shop}
                    spec:
                      host: svc-%1$d
                      trafficPolicy:
                        outlierDetection: {consecutive5xxErrors: 5, interval: 10s, baseEjectionTime: 30s}
                      subsets:
                      - {name: v1, labels: {version: v1}}
                      - {name: v2, labels: {version: v2}}
                    ---
                    """.formatted(s, s / 250, s % 250)).append(virtualService(s, rulesPerService, "5s"));
        }
        return out.toString();
    }

    private static String virtualService(int service, int rulesPerService, String timeout) {
        StringBuilder out = new StringBuilder("""
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: svc-%1$d, namespace: shop}
                spec:
                  hosts: [svc-%1$d.example.com]
                  gateways: [edge/public]
                  http:
                """.formatted(service));
        for (int r = 0; r < rulesPerService; r++) {
            out.append(rule(service, r, r == rulesPerService - 1, timeout));
        }
        return out.toString();
    }

    private static String rule(int service, int index, boolean last, String timeout) {
        String match = last ? "" : index % 3 == 0
                ? "  - match: [{uri: {prefix: /api/v%d/items}, headers: {x-tenant: {exact: t%d}}}]\n".formatted(index,
                index)
                : "  - match: [{uri: {prefix: /api/v%d/}}]\n".formatted(index);
        String head = last ? "  - route:\n" : match + "    route:\n";
        return head + """
                    - destination: {host: svc-%1$d, subset: v1, port: {number: 8080}}
                      weight: 90
                    - destination: {host: svc-%1$d, subset: v2, port: {number: 8080}}
                      weight: 10
                    timeout: %2$s
                    retries: {attempts: 2, perTryTimeout: 1s, retryOn: "5xx,connect-failure"}
                """.formatted(service, timeout);
    }
}
