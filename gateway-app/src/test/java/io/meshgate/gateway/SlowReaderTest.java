package io.meshgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Clients that ask for a large body and do not read it (HTTP/1.1 connections with a tiny receive buffer, HTTP/2
 * streams with a zero window) hold only what the connection buffer allows in the gateway: the gateway stops reading
 * the upstream while the client does not take the response, healthy clients are still served, and the memory comes
 * back once the stream idle timeout resets the slow readers. One HTTP/2 connection whose 100 streams take nothing
 * holds about its connection buffer (1 MiB) rather than 100 stream buffers. Direct memory is measured at the allocator every
 * Netty channel of this process uses, and only the gateway's channels use it: the backend is the JDK's HTTP server
 * and the slow clients are plain sockets.
 */
class SlowReaderTest {

    private static final int CHUNK = 16 * 1024;
    /** Far more than any buffer on the way: every slow reader could pin this much if nothing stopped it. */
    private static final int CHUNKS = 2048;
    private static final byte[] BYTES = new byte[CHUNK];
    private static final int READERS = 100;
    /**
     * What each slow reader may pin: the 32 KiB connection buffer, the buffer waiting for it and what the upstream
     * connection read before it was paused (measured: 150 KiB at most for HTTP/1.1, 20 KiB for HTTP/2 streams).
     */
    private static final long PER_READER = 256 * 1024;
    private static final long SLACK = 16L * 1024 * 1024;
    private static final long CONNECTION_BUFFER = 1024 * 1024;
    /**
     * What each stream of one HTTP/2 connection holds beside the connection's buffer: the one buffer waiting for it
     * and what its upstream connection read before it was paused (measured: about 30 to 50 KiB).
     */
    private static final long PER_STREAM = 64 * 1024;

    @TempDir
    static Path config;
    /** A backend on the JDK's HTTP server, blocking and on heap: the Netty direct memory measured is the gateway's. */
    private static com.sun.net.httpserver.HttpServer backend;
    private static final java.util.concurrent.ExecutorService threads =
            java.util.concurrent.Executors.newFixedThreadPool(2 * READERS + 8);
    private static GatewayHarness gateway;
    private static final AtomicInteger started = new AtomicInteger();
    private final List<AutoCloseable> readers = new ArrayList<>();

    @BeforeAll
    static void start() throws IOException {
        backend = com.sun.net.httpserver.HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        backend.setExecutor(threads);
        backend.createContext("/big", exchange -> {
            started.incrementAndGet();
            send(exchange, CHUNKS);
        });
        backend.createContext("/small", exchange -> {
            byte[] ok = "ok".getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, ok.length);
            exchange.getResponseBody().write(ok);
            exchange.close();
        });
        backend.start();
        GatewayHarness.write(config, "routes.yaml", GatewayHarness.everythingTo("big"));
        GatewayHarness.write(config, "big.yaml", GatewayHarness.serviceEntry("big",
                Map.of("v1", backend.getAddress().getPort())));
        gateway = new GatewayHarness(config, "--gateway.limits.stream-idle-timeout=4s");
    }

    /** Writes {@code chunks} chunks, blocking while the gateway does not read; a reset connection ends it. */
    private static void send(com.sun.net.httpserver.HttpExchange exchange, int chunks) throws IOException {
        exchange.getResponseHeaders().set("content-type", "application/octet-stream");
        exchange.sendResponseHeaders(200, (long) chunks * CHUNK);
        try (OutputStream body = exchange.getResponseBody()) {
            for (int i = 0; i < chunks; i++) {
                body.write(BYTES);
            }
        } catch (IOException e) {
            // the gateway gave up on this response
        } finally {
            exchange.close();
        }
    }

    @AfterAll
    static void stop() {
        gateway.close();
        backend.stop(0);
        threads.shutdownNow();
    }

    @AfterEach
    void closeReaders() throws Exception {
        for (AutoCloseable reader : readers) {
            reader.close();
        }
        readers.clear();
    }

    @Test
    void http11SlowReadersHoldBoundedMemoryAndReleaseIt() throws Exception {
        long baseline = settledDirectMemory();
        int before = started.get();
        for (int i = 0; i < READERS; i++) {
            Socket socket = new Socket();
            socket.setReceiveBufferSize(4096);
            socket.connect(new InetSocketAddress("127.0.0.1", gateway.port(80)), 5000);
            OutputStream out = socket.getOutputStream();
            out.write("GET /big HTTP/1.1\r\nHost: a.example.com\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            readers.add(socket);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> started.get() - before >= READERS);

        assertHeldAndReleased(baseline);
    }

    /** Streams that advertise no window, and streams with a large window on a connection that is never read. */
    @ParameterizedTest
    @ValueSource(ints = {0, 16 * 1024 * 1024})
    void http2StreamsThatTakeNothingHoldBoundedMemoryAndReleaseIt(int window) throws Exception {
        long baseline = settledDirectMemory();
        int before = started.get();
        for (int c = 0; c < READERS / 25; c++) {
            RawH2 client = new RawH2(gateway.port(80), 4096, window);
            for (int s = 0; s < 25; s++) {
                client.get(1 + 2 * s, "a.example.com", "/big");
            }
            readers.add(client);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> started.get() - before >= READERS);

        assertHeldAndReleased(baseline);
    }

    @Test
    void oneHttp2ConnectionOfStreamsThatTakeNothingHoldsAboutItsConnectionBuffer() throws Exception {
        long baseline = settledDirectMemory();
        int before = started.get();
        RawH2 client = new RawH2(gateway.port(80), 4096, 0);
        readers.add(client);
        for (int s = 0; s < READERS; s++) {
            client.get(1 + 2 * s, "a.example.com", "/big");
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> started.get() - before >= READERS);

        long held = settledDirectMemory() - baseline;
        System.out.printf("one h2 connection, %d streams with a zero window: %d KiB held%n", READERS, held / 1024);
        // without the connection's bound: 100 stream buffers of 32 KiB, and what they pin (measured: 11 MiB)
        assertThat(held).isLessThan(CONNECTION_BUFFER + READERS * PER_STREAM);
        assertHeldAndReleased(baseline);
    }

    private static void assertHeldAndReleased(long baseline) {
        long held = settledDirectMemory() - baseline;
        System.out.printf("slow readers: %d hold %d KiB of direct memory beyond the baseline%n", READERS,
                held / 1024);
        assertThat(held).isLessThan(READERS * PER_READER + SLACK);

        String answer = gateway.client("a.example.com").get().uri("/small").responseContent().aggregate()
                .asString().block(Duration.ofSeconds(10));
        assertThat(answer).isEqualTo("ok");

        // the stream idle timeout resets every slow reader; what they held goes back
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> directMemory() - baseline < SLACK);
    }

    /** Direct memory once it stops moving (two readings a second apart within 1 %). */
    private static long settledDirectMemory() {
        long[] last = {directMemory()};
        await().atMost(Duration.ofSeconds(20)).pollDelay(Duration.ofSeconds(1)).pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    long now = directMemory();
                    boolean settled = Math.abs(now - last[0]) <= Math.max(last[0] / 100, 64 * 1024);
                    last[0] = now;
                    return settled;
                });
        return last[0];
    }

    private static long directMemory() {
        return ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric().usedDirectMemory();
    }

    static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already gone
        }
    }
}
