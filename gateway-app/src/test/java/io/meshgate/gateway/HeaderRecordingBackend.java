package io.meshgate.gateway;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A real HTTP backend on 127.0.0.1 that answers every request with the request headers it received, one
 * {@code name: value} line each, unchanged in case and order, so tests can read exactly what the gateway sent.
 */
final class HeaderRecordingBackend implements AutoCloseable {

    private final DisposableServer server;

    HeaderRecordingBackend() {
        this.server = HttpServer.create().host("127.0.0.1").port(0)
                .handle((request, response) -> {
                    StringBuilder lines = new StringBuilder();
                    request.requestHeaders().forEach(h -> lines.append(h.getKey()).append(": ").append(h.getValue())
                            .append('\n'));
                    return request.receive().then()
                            .then(response.sendString(Mono.just(lines.toString())).then());
                })
                .bindNow();
    }

    int port() {
        return server.port();
    }

    /** The headers of a body this backend answered, by lower-case name. */
    static Map<String, List<String>> parse(String body) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String line : body.split("\n")) {
            int colon = line.indexOf(": ");
            if (colon > 0) {
                headers.computeIfAbsent(line.substring(0, colon).toLowerCase(), k -> new ArrayList<>())
                        .add(line.substring(colon + 2));
            }
        }
        return headers;
    }

    @Override
    public void close() {
        server.disposeNow();
    }
}
