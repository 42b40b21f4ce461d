package io.meshgate.loadtests.bench;

import java.nio.file.Path;

/**
 * The Istio configs the gateway serves in the scenarios, with the run's ports: one route to the backend (also over
 * TLS), 10,000 rules across 1,000 hosts and smaller tables of the same shape, and a weighted canary.
 */
public final class GatewayConfigs {

    private static final String SERVICE_ENTRY = """
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: %1$s, namespace: default}
            spec:
              hosts: [%1$s.default.svc.cluster.local]
              ports: [{number: 8080, name: http, protocol: HTTP}]
              resolution: STATIC
              endpoints:
              - {address: 127.0.0.1, ports: {http: %2$d}}
            """;

    private GatewayConfigs() {
    }

    /**
     * Every host on Gateway port 80, and on port 443 terminating TLS with the run's certificate ({@code *}, so
     * that clients without SNI get a handshake), routed to the backend.
     */
    public static String oneRoute(int backendPort, Path tls) {
        return """
                # one route: every host, plain and TLS, to the backend
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: bench-gateway, namespace: default}
                spec:
                  selector: {istio: ingressgateway}
                  servers:
                  - port: {number: 80, name: http, protocol: HTTP}
                    hosts: ["*"]
                  - port: {number: 443, name: https, protocol: HTTPS}
                    hosts: ["*"]
                    tls: {mode: SIMPLE, serverCertificate: %s, privateKey: %s}
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: bench-all, namespace: default}
                spec:
                  hosts: ["*"]
                  gateways: [bench-gateway]
                  http:
                  - route: [{destination: {host: bench-backend.default.svc.cluster.local, port: {number: 8080}}}]
                ---
                """.formatted(tls.resolve("cert.pem"), tls.resolve("key.pem"))
                + SERVICE_ENTRY.formatted("bench-backend", backendPort);
    }

    /**
     * {@code hosts} VirtualServices {@code svc-0000.bench.local}, ... with {@code rules} rules each, on uri
     * prefixes {@code /r0/}, {@code /r1/}, ...: the first rule is {@code svc-0000 /r0/}, the last
     * {@code svc-<hosts-1> /r<rules-1>/}.
     */
    public static String manyRoutes(int hosts, int rules, int backendPort) {
        StringBuilder yaml = new StringBuilder("""
                # %d rules: %d hosts x %d rules
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: bench-gateway, namespace: default}
                spec:
                  selector: {istio: ingressgateway}
                  servers:
                  - port: {number: 80, name: http, protocol: HTTP}
                    hosts: ["*.bench.local"]
                ---
                """.formatted(hosts * rules, hosts, rules));
        yaml.append(SERVICE_ENTRY.formatted("bench-backend", backendPort));
        for (int h = 0; h < hosts; h++) {
            yaml.append("""
                    ---
                    apiVersion: networking.istio.io/v1
                    kind: VirtualService
                    metadata: {name: svc-%1$04d, namespace: default}
                    spec:
                      hosts: [svc-%1$04d.bench.local]
                      gateways: [bench-gateway]
                      http:
                    """.formatted(h));
            for (int r = 0; r < rules; r++) {
                yaml.append("""
                          - name: r%1$d
                            match: [{uri: {prefix: /r%1$d/}}]
                            route:
                            - destination: {host: bench-backend.default.svc.cluster.local, port: {number: 8080}}
                        """.formatted(r));
            }
        }
        return yaml.toString();
    }

    /**
     * Two hosts to the backend on Gateway port 80: {@code plain.bench.local} without a DestinationRule,
     * {@code dr.bench.local} with LEAST_REQUEST, outlier detection and connectionPool limits, to measure what that
     * policy costs per request.
     */
    public static String destinationRule(int backendPort) {
        return """
                # DestinationRule policy against none, same backend
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: bench-gateway, namespace: default}
                spec:
                  selector: {istio: ingressgateway}
                  servers:
                  - port: {number: 80, name: http, protocol: HTTP}
                    hosts: ["*"]
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: bench-plain, namespace: default}
                spec:
                  hosts: [plain.bench.local]
                  gateways: [bench-gateway]
                  http:
                  - route: [{destination: {host: plain-backend.default.svc.cluster.local, port: {number: 8080}}}]
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: bench-dr, namespace: default}
                spec:
                  hosts: [dr.bench.local]
                  gateways: [bench-gateway]
                  http:
                  - route: [{destination: {host: dr-backend.default.svc.cluster.local, port: {number: 8080}}}]
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: dr-backend, namespace: default}
                spec:
                  host: dr-backend.default.svc.cluster.local
                  trafficPolicy:
                    loadBalancer: {simple: LEAST_REQUEST}
                    connectionPool:
                      tcp: {maxConnections: 1000}
                      http: {http1MaxPendingRequests: 1000, http2MaxRequests: 2000}
                    outlierDetection: {consecutive5xxErrors: 5, interval: 10s, baseEjectionTime: 30s}
                ---
                """ + SERVICE_ENTRY.formatted("plain-backend", backendPort) + "---\n"
                + SERVICE_ENTRY.formatted("dr-backend", backendPort);
    }

    /**
     * Every host split by weight between two services (the backend's two canary ports); {@code mark} ≥ 0 adds a
     * rule before the split, for requests with header {@code x-churn: <mark>} only, so that each mark is a new
     * config.
     */
    public static String canary(int v1Port, int v2Port, int v2Weight, int mark) {
        String markRule = mark < 0 ? "" : """
                  - match: [{headers: {x-churn: {exact: "%d"}}}]
                    route: [{destination: {host: canary-v2.default.svc.cluster.local, port: {number: 8080}}}]
                """.formatted(mark);
        return """
                # canary: %1$d%% to v2
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: bench-gateway, namespace: default}
                spec:
                  selector: {istio: ingressgateway}
                  servers:
                  - port: {number: 80, name: http, protocol: HTTP}
                    hosts: ["*"]
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: canary, namespace: default}
                spec:
                  hosts: ["*"]
                  gateways: [bench-gateway]
                  http:
                %2$s  - route:
                    - {destination: {host: canary-v1.default.svc.cluster.local, port: {number: 8080}}, weight: %3$d}
                    - {destination: {host: canary-v2.default.svc.cluster.local, port: {number: 8080}}, weight: %1$d}
                ---
                """.formatted(v2Weight, markRule, 100 - v2Weight)
                + SERVICE_ENTRY.formatted("canary-v1", v1Port) + "---\n"
                + SERVICE_ENTRY.formatted("canary-v2", v2Port);
    }
}
