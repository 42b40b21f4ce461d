package io.meshgate.translator.translate;

import io.meshgate.translator.diag.Diagnostic;
import io.meshgate.translator.load.Loaded;
import io.meshgate.translator.load.ResourceLoader;
import io.meshgate.translator.load.ResourceSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A configuration that changes one resource at a time, as a cluster or a config directory does: a fixed set of
 * slots, each one resource (Gateway, Service, EndpointSlice, Pod, ServiceEntry, WorkloadEntry, DestinationRule or
 * VirtualService) in one of several variants, or absent. The variants are chosen to change what VirtualServices
 * depend on: service ports, subsets, the seed's retries, endpoints and labels, Gateway hosts, and the VirtualServices
 * themselves (hosts, gateways, exportTo, age, matches, destinations, policies, tls rules, errors).
 */
final class ChangingConfiguration {

    /** The slots before the VirtualServices. */
    private static final int FIXED_SLOTS = 12;
    static final int SLOTS = FIXED_SLOTS + 6;

    private final String[] yaml = new String[SLOTS];
    private final Loaded<?>[] loaded = new Loaded<?>[SLOTS];
    private final List<List<Diagnostic>> diagnostics = new ArrayList<>();

    /** Every slot in its first variant. */
    ChangingConfiguration() {
        for (int slot = 0; slot < SLOTS; slot++) {
            diagnostics.add(List.of());
            set(slot, 0);
        }
    }

    /**
     * Applies one change, encoded as a number: which slot, which variant (or none: the resource is deleted), and
     * whether every other resource is loaded anew too (as the config directory is read: equal content, new objects)
     * or kept as the same objects (as informer caches keep them).
     */
    void apply(int change) {
        int slot = change % SLOTS;
        int rest = change / SLOTS;
        int variants = variants(slot);
        int variant = (rest / 4) % (variants + 1);
        if (variant == variants) {
            yaml[slot] = null;
            loaded[slot] = null;
            diagnostics.set(slot, List.of());
        } else {
            set(slot, variant);
        }
        if (rest % 4 == 0) {
            for (int other = 0; other < SLOTS; other++) {
                if (yaml[other] != null) {
                    load(other);
                }
            }
        }
    }

    ResourceSet resources() {
        List<Loaded<?>> resources = new ArrayList<>();
        List<Diagnostic> all = new ArrayList<>();
        for (int slot = 0; slot < SLOTS; slot++) {
            if (loaded[slot] != null) {
                resources.add(loaded[slot]);
            }
            all.addAll(diagnostics.get(slot));
        }
        return ResourceSet.of(resources, all);
    }

    private void set(int slot, int variant) {
        yaml[slot] = yaml(slot, variant);
        load(slot);
    }

    private void load(int slot) {
        ResourceSet set = ResourceLoader.loadText("slot-" + slot + ".yaml", yaml[slot]);
        if (set.resources().size() != 1) {
            throw new IllegalStateException("slot " + slot + " does not load: " + set.diagnostics());
        }
        loaded[slot] = set.resources().get(0);
        diagnostics.set(slot, set.diagnostics());
    }

    private static int variants(int slot) {
        return slot < FIXED_SLOTS ? 3 : 40;
    }

    private static String yaml(int slot, int variant) {
        return switch (slot) {
            case 0 -> gateway("edge", variant);
            case 1 -> gateway("shop", variant + 1);
            case 2 -> service("orders", variant);
            case 3 -> service("users", variant + 1);
            case 4 -> endpointSlice(variant);
            case 5 -> pod("orders-1", variant);
            case 6 -> pod("orders-2", variant + 1);
            case 7 -> externalServiceEntry(variant);
            case 8 -> wildcardServiceEntry(variant);
            case 9 -> workloadEntry(variant);
            case 10 -> destinationRule("orders", variant);
            case 11 -> destinationRule("more", variant + 1);
            default -> virtualService(slot - FIXED_SLOTS, variant);
        };
    }

    private static String gateway(String namespace, int variant) {
        String servers = switch (variant % 3) {
            case 0 -> """
                  - port: {number: 80, name: http, protocol: HTTP}
                    hosts: ["*/*.example.com", "*/orders"]
                """;
            case 1 -> """
                  - port: {number: 80, name: http, protocol: HTTP}
                    hosts: ["*/*.example.com"]
                  - port: {number: 443, name: tls, protocol: TLS}
                    hosts: ["*.example.com"]
                    tls: {mode: PASSTHROUGH}
                """;
            default -> """
                  - port: {number: 80, name: http, protocol: HTTP}
                    hosts: ["shop/a.example.com", "./b.example.com", "*/c.other.com"]
                  - port: {number: 8443, name: https, protocol: HTTPS}
                    hosts: ["a.example.com"]
                    tls: {mode: SIMPLE, credentialName: a-cert}
                """;
        };
        return """
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: public, namespace: %s}
                spec:
                  selector: {istio: ingressgateway}
                  servers:
                %s""".formatted(namespace, servers);
    }

    private static String service(String name, int variant) {
        String ports = switch (variant % 3) {
            case 0 -> "[{name: http, port: 8080}]";
            case 1 -> "[{name: http, port: 8080}, {name: grpc, port: 9090}]";
            default -> "[{name: http-web, port: 80, targetPort: 8080}]";
        };
        return """
                apiVersion: v1
                kind: Service
                metadata: {name: %s, namespace: shop}
                spec:
                  selector: {app: %s}
                  ports: %s
                """.formatted(name, name, ports);
    }

    private static String endpointSlice(int variant) {
        String endpoints = switch (variant % 3) {
            case 0 -> """
                - addresses: [127.0.1.1]
                  targetRef: {kind: Pod, name: orders-1, namespace: shop}
                """;
            case 1 -> """
                - addresses: [127.0.1.1]
                  targetRef: {kind: Pod, name: orders-1, namespace: shop}
                - addresses: [127.0.1.2]
                  conditions: {ready: true}
                  targetRef: {kind: Pod, name: orders-2, namespace: shop}
                  zone: zone-a
                """;
            default -> """
                - addresses: [127.0.1.2]
                  conditions: {ready: false}
                  targetRef: {kind: Pod, name: orders-2, namespace: shop}
                - addresses: [127.0.1.3]
                  targetRef: {kind: Pod, name: orders-2, namespace: shop}
                """;
        };
        return """
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata:
                  name: orders-abc12
                  namespace: shop
                  labels: {kubernetes.io/service-name: orders}
                addressType: IPv4
                ports: [{name: http, port: 8080}, {name: grpc, port: 9090}]
                endpoints:
                %s""".formatted(endpoints);
    }

    private static String pod(String name, int variant) {
        String labels = switch (variant % 3) {
            case 0 -> "{app: orders, version: v1}";
            case 1 -> "{app: orders, version: v2}";
            default -> "{app: orders}";
        };
        return """
                apiVersion: v1
                kind: Pod
                metadata: {name: %s, namespace: shop, labels: %s}
                """.formatted(name, labels);
    }

    private static String externalServiceEntry(int variant) {
        String spec = switch (variant % 3) {
            case 0 -> """
                  ports: [{number: 80, name: http, protocol: HTTP}]
                  resolution: STATIC
                  endpoints: [{address: 127.0.2.1, labels: {version: v1}}]
                """;
            case 1 -> """
                  ports: [{number: 80, name: http, protocol: HTTP}, {number: 443, name: tls, protocol: TLS}]
                  resolution: DNS
                """;
            default -> """
                  ports: [{number: 80, name: http, protocol: HTTP}]
                  resolution: STATIC
                  workloadSelector: {labels: {app: external}}
                """;
        };
        return """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: external, namespace: shop}
                spec:
                  hosts: [api.external.com]
                %s""".formatted(spec);
    }

    private static String wildcardServiceEntry(int variant) {
        return """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: wild, namespace: shop}
                spec:
                  hosts: ["*.wild.com"]
                  ports: [{number: %d, name: http, protocol: HTTP}]
                  resolution: NONE
                """.formatted(variant % 3 == 2 ? 81 : 80);
    }

    private static String workloadEntry(int variant) {
        return """
                apiVersion: networking.istio.io/v1
                kind: WorkloadEntry
                metadata: {name: external-1, namespace: shop}
                spec:
                  address: 127.0.2.%d
                  labels: {app: external, version: v%d}
                """.formatted(variant % 3 + 2, variant % 2 + 1);
    }

    private static String destinationRule(String name, int variant) {
        String spec = switch (variant % 3) {
            case 0 -> """
                  host: orders
                  subsets:
                  - {name: v1, labels: {version: v1}}
                  - {name: v2, labels: {version: v2}}
                """;
            case 1 -> """
                  host: orders.shop.svc.cluster.local
                  trafficPolicy:
                    loadBalancer: {simple: ROUND_ROBIN}
                    retryPolicy: {attempts: 3, perTryTimeout: 2s}
                  subsets:
                  - name: v1
                    labels: {version: v1}
                    trafficPolicy: {retryPolicy: {attempts: 5}}
                  - {name: v3, labels: {version: v3}}
                """;
            default -> """
                  host: api.external.com
                  trafficPolicy:
                    outlierDetection: {consecutive5xxErrors: 3, interval: 5s}
                  subsets:
                  - {name: v1, labels: {version: v1}}
                """;
        };
        return """
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: %s, namespace: shop}
                spec:
                %s""".formatted(name, spec);
    }

    private static final String[] HOSTS = {"a.example.com", "b.example.com", "*.example.com", "orders",
            "api.external.com", "c.other.com"};
    private static final String[] GATEWAYS = {"", "gateways: [edge/public]", "gateways: [public]",
            "gateways: [edge/public, mesh]", "gateways: [mesh]", "gateways: [edge/missing]"};
    private static final String[] EXPORT_TO = {"", "", "exportTo: [\".\"]", "exportTo: [edge]", "exportTo: [\"*\"]"};
    private static final String[] MATCHES = {"", "- match: [{uri: {prefix: /p}}]\n",
            "- match: [{uri: {exact: /e}}, {headers: {x-v: {exact: \"1\"}}}]\n",
            "- match: [{uri: {regex: \"[\"}}]\n", "- match: [{uri: {prefix: /}}]\n",
            "- match: [{port: 443}, {uri: {prefix: /q}, queryParams: {a: {exact: \"\"}}}]\n",
            "- match: [{sourceLabels: {app: x}}, {gateways: [mesh]}]\n"};
    private static final String[] DESTINATIONS = {"orders", "orders.shop.svc.cluster.local", "users",
            "api.external.com", "x.wild.com", "nowhere"};
    private static final String[] PORTS = {"", "", ", port: {number: 8080}", ", port: {number: 9090}",
            ", port: {number: 80}"};
    private static final String[] SUBSETS = {"", "", ", subset: v1", ", subset: v2", ", subset: v3"};
    private static final String[][] POLICIES = {{}, {}, {"retries: {attempts: 3, perTryTimeout: 1s}"},
            {"timeout: 5s"}, {"fault: {delay: {fixedDelay: 1.5s, percentage: {value: 10}}}"},
            {"timeout: 0s", "retries: {attempts: -1, backoff: 10x}"}};

    /** VirtualService {@code vs-<index>} (one of them in another namespace), its content chosen by the variant. */
    private static String virtualService(int index, int variant) {
        Random random = new Random(index * 1_000_003L + variant);
        String namespace = index == 5 ? "other" : "shop";
        StringBuilder out = new StringBuilder("""
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata:
                  name: vs-%d
                  namespace: %s
                """.formatted(index, namespace));
        if (random.nextBoolean()) {
            out.append("  creationTimestamp: \"2026-01-0").append(1 + random.nextInt(3)).append("T00:00:00Z\"\n");
        }
        out.append("spec:\n  hosts: [\"").append(pick(random, HOSTS)).append('"');
        if (random.nextInt(3) == 0) {
            out.append(", \"").append(pick(random, HOSTS)).append('"');
        }
        out.append("]\n");
        appendLine(out, pick(random, GATEWAYS));
        appendLine(out, pick(random, EXPORT_TO));
        int rules = random.nextInt(4);
        if (rules > 0) {
            out.append("  http:\n");
        }
        for (int r = 0; r < rules; r++) {
            httpRule(out, random);
        }
        if (random.nextInt(4) == 0) {
            out.append("""
                      tls:
                      - match: [{sniHosts: [a.example.com], port: 443}]
                        route: [{destination: {host: %s, port: {number: 8080}}}]
                    """.formatted(pick(random, DESTINATIONS)));
        }
        return out.toString();
    }

    private static void httpRule(StringBuilder out, Random random) {
        String match = pick(random, MATCHES);
        String head = match.isEmpty() ? "  - " : "  " + match + "    ";
        switch (random.nextInt(6)) {
            case 0 -> out.append(head).append("redirect: {uri: /moved}\n");
            case 1 -> out.append(head).append("directResponse: {status: 503, body: {string: down}}\n");
            default -> {
                out.append(head).append("route:\n");
                int destinations = 1 + random.nextInt(2);
                for (int d = 0; d < destinations; d++) {
                    out.append("    - destination: {host: ").append(pick(random, DESTINATIONS))
                            .append(pick(random, PORTS)).append(pick(random, SUBSETS)).append("}\n");
                    if (destinations > 1) {
                        out.append("      weight: ").append(d == 0 ? 80 : 20).append('\n');
                    }
                }
                for (String policy : POLICIES[random.nextInt(POLICIES.length)]) {
                    out.append("    ").append(policy).append('\n');
                }
                if (random.nextInt(4) == 0) {
                    out.append("    mirror: {host: ").append(pick(random, DESTINATIONS)).append("}\n");
                }
            }
        }
    }

    private static void appendLine(StringBuilder out, String line) {
        if (!line.isEmpty()) {
            out.append("  ").append(line).append('\n');
        }
    }

    private static String pick(Random random, String[] values) {
        return values[random.nextInt(values.length)];
    }
}
