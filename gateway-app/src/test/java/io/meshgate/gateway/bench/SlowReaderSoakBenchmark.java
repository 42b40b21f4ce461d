package io.meshgate.gateway.bench;

import io.meshgate.gateway.RawH2;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Normal load beside slow readers, for minutes: a gateway started separately, a backend in this process (the JDK's
 * HTTP server) serving a 100-byte answer and a 64 MiB body, a closed loop of healthy requests (16 at a time) and, in waves of a minute,
 * HTTP/1.1 connections and HTTP/2 streams that ask for the large body and never read it (the HTTP/2 connections
 * advertise a 16 MiB window, so only TCP holds the gateway back). Every 10 s it prints the gateway's RSS
 * ({@code /proc/PID/status}), its JVM direct buffers (Prometheus, {@code jvm_buffer_memory_used_bytes{id="direct"}})
 * and the healthy requests answered and failed, then the peaks.
 *
 * <p>Usage: {@code SlowReaderSoakBenchmark write CONFIG_DIR [BACKEND_PORT]} writes the gateway config (one route to
 * 127.0.0.1:BACKEND_PORT, by default 19201) and exits; {@code SlowReaderSoakBenchmark run GATEWAY_URL
 * MANAGEMENT_URL GATEWAY_PID [BACKEND_PORT [SECONDS [H1_READERS [H2_CONNECTIONS [STREAMS]]]]]} runs the load
 * (defaults: 180 s, 300 HTTP/1.1 readers, 4 HTTP/2 connections of 50 streams). Not a unit test.
 */
public final class SlowReaderSoakBenchmark {

    private static final int DEFAULT_BACKEND_PORT = 19201;
    private static final byte[] CHUNK = new byte[16 * 1024];
    private static final int BIG_CHUNKS = 4096;
    private static final Pattern DIRECT = Pattern.compile(
            "jvm_buffer_memory_used_bytes\\{[^}]*id=\"direct\"[^}]*\\} ([0-9.E+]+)");

    private SlowReaderSoakBenchmark() {
    }

    /** What one run does. */
    private record Plan(String gateway, String management, long pid, int seconds, int h1Readers,
            int h2Connections, int streams) {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("write")) {
            write(Path.of(args[1]), args.length > 2 ? Integer.parseInt(args[2]) : DEFAULT_BACKEND_PORT);
            return;
        }
        int port = args.length > 4 ? Integer.parseInt(args[4]) : DEFAULT_BACKEND_PORT;
        Plan plan = new Plan(args[1], args[2], Long.parseLong(args[3]), arg(args, 5, 180), arg(args, 6, 300),
                arg(args, 7, 4), arg(args, 8, 50));
        // the JDK's blocking server, a thread per response: a stalled body blocks only its own thread
        com.sun.net.httpserver.HttpServer backend = com.sun.net.httpserver.HttpServer.create(
                new InetSocketAddress("127.0.0.1", port), 1024);
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newCachedThreadPool();
        backend.setExecutor(threads);
        backend.createContext("/small", exchange -> answer(exchange, 1, 100));
        backend.createContext("/big", exchange -> answer(exchange, BIG_CHUNKS, CHUNK.length));
        backend.start();
        try {
            run(plan);
        } finally {
            backend.stop(0);
            threads.shutdownNow();
        }
    }

    private static void answer(com.sun.net.httpserver.HttpExchange exchange, int chunks, int size) {
        try (OutputStream body = exchange.getResponseBody()) {
            exchange.getResponseHeaders().set("content-type", "application/octet-stream");
            exchange.sendResponseHeaders(200, (long) chunks * size);
            for (int i = 0; i < chunks; i++) {
                body.write(CHUNK, 0, size);
            }
        } catch (IOException e) {
            // the gateway gave up on this response
        } finally {
            exchange.close();
        }
    }

    private static int arg(String[] args, int index, int otherwise) {
        return args.length > index ? Integer.parseInt(args[index]) : otherwise;
    }

    private static void write(Path dir, int port) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("slow.yaml"), """
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
                metadata: {name: slow, namespace: default}
                spec:
                  hosts: ["*"]
                  gateways: [bench-gateway]
                  http:
                  - route: [{destination: {host: slow.default.svc.cluster.local}}]
                ---
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: slow, namespace: default}
                spec:
                  hosts: [slow.default.svc.cluster.local]
                  ports: [{number: 8080, name: http, protocol: HTTP}]
                  resolution: STATIC
                  endpoints:
                  - {address: 127.0.0.1, ports: {http: %d}}
                """.formatted(port));
    }

    private static void run(Plan plan) throws Exception {
        HttpClient client = HttpClient.create(ConnectionProvider.builder("soak").maxConnections(16).build())
                .baseUrl(plan.gateway()).responseTimeout(Duration.ofSeconds(5));
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong slowest = new AtomicLong();
        long end = System.nanoTime() + plan.seconds() * 1_000_000_000L;
        reactor.core.Disposable load = Flux.range(0, 16).flatMap(i -> healthy(client, ok, failed, slowest, end)
                .repeat(() -> System.nanoTime() < end), 16).subscribe();
        int port = Integer.parseInt(plan.gateway().replaceAll(".*:(\\d+).*", "$1"));
        List<AutoCloseable> readers = new ArrayList<>();
        long peakRss = 0;
        long peakDirect = 0;
        try {
            for (int t = 0; t < plan.seconds(); t += 10) {
                if (t % 60 == 0) {
                    closeAll(readers);
                    readers.addAll(slowReaders(port, plan));
                }
                Thread.sleep(10_000);
                long rss = rssKiB(plan.pid());
                long direct = directBytes(plan.management());
                peakRss = Math.max(peakRss, rss);
                peakDirect = Math.max(peakDirect, direct);
                System.out.printf("t=%3ds rss=%6.1f MiB direct=%6.1f MiB healthy ok=%d failed=%d slowest=%d ms%n",
                        t + 10, rss / 1024.0, direct / 1048576.0, ok.getAndSet(0), failed.getAndSet(0),
                        slowest.getAndSet(0));
            }
        } finally {
            closeAll(readers);
            load.dispose();
        }
        Thread.sleep(10_000);
        System.out.printf("peak rss=%.1f MiB, peak direct=%.1f MiB; 10 s after the readers closed: rss=%.1f MiB "
                + "direct=%.1f MiB%n", peakRss / 1024.0, peakDirect / 1048576.0, rssKiB(plan.pid()) / 1024.0,
                directBytes(plan.management()) / 1048576.0);
    }

    private static Mono<Void> healthy(HttpClient client, AtomicLong ok, AtomicLong failed, AtomicLong slowest,
            long end) {
        return Mono.defer(() -> {
            long start = System.nanoTime();
            return client.get().uri("/small").responseSingle((response, body) -> body.then(Mono.just(
                    response.status().code())))
                    .doOnNext(code -> (code == 200 ? ok : failed).incrementAndGet())
                    .doOnError(error -> failed.incrementAndGet())
                    .doFinally(signal -> slowest.accumulateAndGet((System.nanoTime() - start) / 1_000_000,
                            Math::max))
                    .onErrorResume(error -> Mono.empty())
                    .then();
        });
    }

    private static List<AutoCloseable> slowReaders(int port, Plan plan) throws IOException {
        List<AutoCloseable> readers = new ArrayList<>();
        for (int i = 0; i < plan.h1Readers(); i++) {
            Socket socket = new Socket();
            socket.setReceiveBufferSize(4096);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            OutputStream out = socket.getOutputStream();
            out.write("GET /big HTTP/1.1\r\nHost: soak\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            readers.add(socket);
        }
        for (int c = 0; c < plan.h2Connections(); c++) {
            RawH2 connection = new RawH2(port, 4096, 16 * 1024 * 1024);
            for (int s = 0; s < plan.streams(); s++) {
                connection.get(1 + 2 * s, "soak", "/big");
            }
            readers.add(connection);
        }
        return readers;
    }

    private static void closeAll(List<AutoCloseable> readers) {
        for (AutoCloseable reader : readers) {
            try {
                reader.close();
            } catch (Exception e) {
                // already gone
            }
        }
        readers.clear();
    }

    private static long rssKiB(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D+", ""));
            }
        }
        return -1;
    }

    private static long directBytes(String management) {
        String text = HttpClient.create().get().uri(management + "/actuator/prometheus").responseContent()
                .aggregate().asString().block(Duration.ofSeconds(10));
        Matcher matcher = DIRECT.matcher(text == null ? "" : text);
        return matcher.find() ? (long) Double.parseDouble(matcher.group(1)) : -1;
    }
}
