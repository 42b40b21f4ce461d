package io.meshgate.gateway.demo;

import io.meshgate.gateway.runner.LiveConfig;
import io.meshgate.translator.ir.Cluster;
import io.meshgate.translator.ir.Endpoint;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * With {@code --gateway.demo-upstreams=true}, serves every endpoint of the configuration on a 127.0.0.1 port with a
 * tiny backend that answers its service name and version, so the bundled config/ runs with nothing else installed.
 */
public final class DemoUpstreams implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DemoUpstreams.class);

    private final Map<Integer, DisposableServer> servers = new TreeMap<>();

    /** Starts a backend for each loopback endpoint that has none yet. */
    public synchronized void serve(LiveConfig config) {
        for (Cluster cluster : config.snapshot().clusters()) {
            for (Endpoint endpoint : cluster.endpoints()) {
                if (endpoint.address().startsWith("127.") && !servers.containsKey(endpoint.port())) {
                    start(endpoint, serviceName(cluster.service()));
                }
            }
        }
    }

    private void start(Endpoint endpoint, String service) {
        String version = endpoint.labels().getOrDefault("version", "v1");
        try {
            DisposableServer server = HttpServer.create()
                    .host(endpoint.address())
                    .port(endpoint.port())
                    .handle((request, response) -> {
                        String body = "{\"service\":\"" + service + "\",\"version\":\"" + version
                                + "\",\"path\":\"" + request.uri().replace("\"", "%22") + "\"}\n";
                        return request.receive().then().then(response
                                .header("content-type", "application/json")
                                .sendString(Mono.just(body), StandardCharsets.UTF_8).then());
                    })
                    .bindNow();
            servers.put(endpoint.port(), server);
            log.info("demo upstream {} {} on {}:{}", service, version, endpoint.address(), endpoint.port());
        } catch (RuntimeException e) {
            log.warn("demo upstream {} {} not started on {}:{}: {}", service, version, endpoint.address(),
                    endpoint.port(), e.getMessage());
        }
    }

    private static String serviceName(String fqdn) {
        int dot = fqdn.indexOf('.');
        return dot < 0 ? fqdn : fqdn.substring(0, dot);
    }

    @Override
    public synchronized void close() {
        servers.values().forEach(DisposableServer::disposeNow);
        servers.clear();
    }
}
