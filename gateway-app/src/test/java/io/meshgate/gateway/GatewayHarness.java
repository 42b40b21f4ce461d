package io.meshgate.gateway;

import io.meshgate.gateway.listener.BoundPorts;
import io.meshgate.gateway.runner.ConfigRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import reactor.netty.http.client.HttpClient;

/**
 * The real gateway application on free ports of 127.0.0.1, serving a config directory the test writes. Gateway
 * port 80 is bound to a free local port; the management server too.
 */
final class GatewayHarness implements AutoCloseable {

    private final Path configDir;
    private final ConfigurableApplicationContext context;

    GatewayHarness(Path configDir, String... extraArgs) {
        this(configDir, new Class<?>[0], extraArgs);
    }

    /** The gateway with more configuration classes, as an application that extends it would add. */
    GatewayHarness(Path configDir, Class<?>[] extraSources, String... extraArgs) {
        this.configDir = configDir;
        String[] args = new String[4 + extraArgs.length];
        args[0] = "--gateway.config-dir=" + configDir;
        args[1] = "--gateway.port-map=80:0,443:0,8080:0";
        args[2] = "--gateway.bind-address=127.0.0.1";
        args[3] = "--management.server.port=0";
        System.arraycopy(extraArgs, 0, args, 4, extraArgs.length);
        this.context = new SpringApplicationBuilder(GatewayApplication.class).sources(extraSources).run(args);
    }

    /** Writes (or replaces) one config file; the gateway picks it up on its next poll. */
    static void write(Path dir, String file, String yaml) {
        try {
            Path tmp = dir.resolve("." + file + ".tmp");
            Files.writeString(tmp, yaml, StandardCharsets.UTF_8);
            Files.move(tmp, dir.resolve(file), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void write(String file, String yaml) {
        write(configDir, file, yaml);
    }

    int port(int gatewayPort) {
        return context.getBean(BoundPorts.class).localPort(gatewayPort).orElseThrow();
    }

    int managementPort() {
        return Integer.parseInt(context.getBean(Environment.class).getProperty("local.management.port", "-1"));
    }

    /** What Prometheus scrapes from the management port. */
    String prometheus() {
        return HttpClient.create().get().uri("http://127.0.0.1:" + managementPort() + "/actuator/prometheus")
                .responseContent().aggregate().asString().block(Duration.ofSeconds(10));
    }

    /** What {@code /actuator/gatewayconfig} shows. */
    String actuatorConfig() {
        return HttpClient.create().get().uri("http://127.0.0.1:" + managementPort() + "/actuator/gatewayconfig")
                .responseContent().aggregate().asString().block(Duration.ofSeconds(10));
    }

    /** The response header {@code name} (or null) of a GET of {@code path} on port 80 with the given Host. */
    String responseHeader(String host, String path, String name) {
        return client(host).get().uri(path)
                .responseSingle((response, body) -> body.then(reactor.core.publisher.Mono.justOrEmpty(
                        response.responseHeaders().get(name))))
                .block(Duration.ofSeconds(10));
    }

    ConfigRunner runner() {
        return context.getBean(ConfigRunner.class);
    }

    /** A client for gateway port 80 that sends the given Host. */
    HttpClient client(String host) {
        return HttpClient.create()
                .baseUrl("http://127.0.0.1:" + port(80))
                .headers(h -> h.set("Host", host))
                .responseTimeout(Duration.ofSeconds(10));
    }

    /** A Gateway {@code edge} in namespace default, port 80 HTTP, for the given hosts. */
    static String gatewayOn80(String... hosts) {
        return """
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: edge, namespace: default}
                spec:
                  selector: {istio: ingressgateway}
                  servers:
                  - port: {number: 80, name: http, protocol: HTTP}
                    hosts: [%s]
                """.formatted(quoted(hosts));
    }

    /** Gateway {@code edge} for every host, and a VirtualService sending every request to {@code service}. */
    static String everythingTo(String service) {
        return gatewayOn80("*") + """
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: all, namespace: default}
                spec:
                  hosts: ["*"]
                  gateways: [edge]
                  http:
                  - route:
                    - destination: {host: %s}
                """.formatted(service);
    }

    /** VirtualService {@code shop}: every request for {@code api.mystore.com} through Gateway edge to a service. */
    static String shopRouteTo(String service) {
        return """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: shop, namespace: default}
                spec:
                  hosts: [api.mystore.com]
                  gateways: [edge]
                  http:
                  - route:
                    - destination: {host: %s}
                """.formatted(service);
    }

    private static String quoted(String... hosts) {
        return String.join(", ", java.util.Arrays.stream(hosts).map(h -> "\"" + h + "\"").toList());
    }

    static String serviceEntry(String name, Map<String, Integer> endpointsByVersion) {
        StringBuilder endpoints = new StringBuilder();
        endpointsByVersion.forEach((version, port) -> endpoints.append("""
                  - address: 127.0.0.1
                    ports: {http: %d}
                    labels: {version: %s}
                """.formatted(port, version)));
        return """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: %1$s, namespace: default}
                spec:
                  hosts: [%1$s.default.svc.cluster.local]
                  ports: [{number: 8080, name: http, protocol: HTTP}]
                  resolution: STATIC
                  endpoints:
                %2$s""".formatted(name, endpoints);
    }

    @Override
    public void close() {
        context.close();
    }
}
