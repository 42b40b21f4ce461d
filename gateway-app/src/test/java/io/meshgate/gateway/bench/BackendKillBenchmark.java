package io.meshgate.gateway.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;

/**
 * What clients see when one of three backends dies under load: three backends on 127.0.0.1 (this process), a
 * gateway started separately on their config, a closed-loop run to find the gateway's maximum rate, then an
 * open-loop run at 70 % of it during which one backend is stopped. Prints, per second, the requests answered 200 and
 * the others, the total of client-visible errors and the time from the kill to the first second without an error.
 *
 * <p>Usage: {@code BackendKillBenchmark write CONFIG_DIR [FIRST_PORT]} writes the gateway config (three endpoints on
 * ports FIRST_PORT to FIRST_PORT + 2, by default 19101-19103, retries on connect failures, resets and 5xx, outlier
 * detection) and exits; {@code BackendKillBenchmark run GATEWAY_URL [FIRST_PORT [WARMUP CLOSED OPEN KILL_AT]]}
 * starts the backends and runs the load (the gateway must already run on that config; {@code load-tests/run.sh
 * backend-kill} does both): WARMUP seconds closed loop unmeasured (default 10), CLOSED seconds measured (10), OPEN
 * seconds open loop (30) with the kill KILL_AT seconds into it (10).
 */
public final class BackendKillBenchmark {

    private static final int DEFAULT_FIRST_PORT = 19101;

    private BackendKillBenchmark() {
    }

    /** Timing of a run, in seconds. */
    private record Timing(int warmup, int closedLoop, int openLoop, int killAt) {
    }

    public static void main(String[] args) throws Exception {
        int firstPort = args.length > 2 ? Integer.parseInt(args[2]) : DEFAULT_FIRST_PORT;
        int[] ports = {firstPort, firstPort + 1, firstPort + 2};
        if (args[0].equals("write")) {
            write(Path.of(args[1]), ports);
        } else {
            run(args[1], ports, args.length > 6
                    ? new Timing(Integer.parseInt(args[3]), Integer.parseInt(args[4]), Integer.parseInt(args[5]),
                            Integer.parseInt(args[6]))
                    : new Timing(10, 10, 30, 10));
        }
    }

    private static void write(Path dir, int[] ports) throws IOException {
        Files.createDirectories(dir);
        StringBuilder endpoints = new StringBuilder();
        for (int port : ports) {
            endpoints.append("  - {address: 127.0.0.1, ports: {http: ").append(port).append("}}\n");
        }
        Files.writeString(dir.resolve("kill.yaml"), """
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
                metadata: {name: kill, namespace: default}
                spec:
                  hosts: ["*"]
                  gateways: [bench-gateway]
                  http:
                  - route: [{destination: {host: pool.default.svc.cluster.local}}]
                    retries: {attempts: 2, retryOn: "connect-failure,reset,5xx"}
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: pool, namespace: default}
                spec:
                  host: pool.default.svc.cluster.local
                  trafficPolicy:
                    outlierDetection: {consecutiveGatewayErrors: 3, interval: 5s, baseEjectionTime: 30s,
                                       maxEjectionPercent: 50}
                ---
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: pool, namespace: default}
                spec:
                  hosts: [pool.default.svc.cluster.local]
                  ports: [{number: 8080, name: http, protocol: HTTP}]
                  resolution: STATIC
                  endpoints:
                """ + endpoints);
    }

    private static void run(String gateway, int[] ports, Timing timing) throws Exception {
        List<DisposableServer> backends = new ArrayList<>();
        List<ChannelGroup> connections = new ArrayList<>();
        for (int port : ports) {
            ChannelGroup group = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
            connections.add(group);
            backends.add(HttpServer.create().host("127.0.0.1").port(port).channelGroup(group)
                    .handle((request, response) -> response.sendString(Mono.just("x".repeat(100))))
                    .bindNow());
        }
        HttpClient client = HttpClient.create(ConnectionProvider.builder("load").maxConnections(256)
                        .pendingAcquireMaxCount(-1).build())
                .baseUrl(gateway).responseTimeout(Duration.ofSeconds(5));

        // closed loop, 64 at a time, after a warm-up: the most the gateway serves here
        closedLoop(client, Duration.ofSeconds(timing.warmup()));
        long served = closedLoop(client, Duration.ofSeconds(timing.closedLoop()));
        long max = served / timing.closedLoop();
        long rate = max * 70 / 100;
        System.out.printf("closed loop (64 concurrent): %d req/s; open loop at 70%%: %d req/s%n", max, rate);

        int seconds = timing.openLoop();
        int killAt = timing.killAt();
        AtomicIntegerArray ok = new AtomicIntegerArray(seconds + 5);
        AtomicIntegerArray failed = new AtomicIntegerArray(seconds + 5);
        long start = System.nanoTime();
        AtomicLong sent = new AtomicLong();
        // a tick the client cannot take in time is dropped: the next one sends what is due since the last one sent
        Flux.interval(Duration.ofMillis(1))
                .onBackpressureDrop()
                .take(Duration.ofSeconds(seconds))
                .concatMap(tick -> {
                    long due = (tick + 1) * rate / 1000 - sent.get();
                    sent.addAndGet(due);
                    return Flux.range(0, (int) due);
                })
                .flatMap(i -> client.get().uri("/").responseSingle((response, body) -> body.then()
                                .thenReturn(response.status().code()))
                        .onErrorReturn(0)
                        .doOnNext(status -> {
                            int second = (int) ((System.nanoTime() - start) / 1_000_000_000L);
                            (status == 200 ? ok : failed).incrementAndGet(Math.min(second, seconds + 4));
                        }), 4096)
                .doOnSubscribe(s -> new Thread(() -> {
                    try {
                        Thread.sleep(killAt * 1000L);
                    } catch (InterruptedException e) {
                        return;
                    }
                    // as a process dies: its listening socket and every connection close at once
                    backends.get(1).dispose();
                    connections.get(1).close();
                    System.out.printf("backend on port %d stopped at %d s%n", ports[1], killAt);
                }).start())
                .blockLast(Duration.ofSeconds(seconds + 30));

        long errors = 0;
        int lastErrorSecond = -1;
        for (int s = 0; s < seconds + 5; s++) {
            if (ok.get(s) + failed.get(s) > 0) {
                System.out.printf("second %2d: %6d ok, %4d errors%n", s, ok.get(s), failed.get(s));
            }
            errors += failed.get(s);
            if (failed.get(s) > 0) {
                lastErrorSecond = s;
            }
        }
        System.out.printf("client-visible errors: %d of %d requests; last second with an error: %s%n", errors,
                sent.get(), lastErrorSecond < 0 ? "none" : lastErrorSecond + " (kill at " + killAt + ")");
        backends.forEach(DisposableServer::disposeNow);
    }

    private static long closedLoop(HttpClient client, Duration length) {
        long end = System.nanoTime() + length.toNanos();
        return Flux.range(0, Integer.MAX_VALUE)
                .takeWhile(i -> System.nanoTime() < end)
                .flatMap(i -> client.get().uri("/").responseSingle((response, body) -> body.then()
                        .thenReturn(response.status().code())).onErrorReturn(0), 64)
                .filter(status -> status == 200)
                .count()
                .block(length.plusSeconds(30));
    }
}
