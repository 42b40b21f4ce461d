package io.meshgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.meshgate.gateway.logging.ClientFaultLogging;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * What clients cause is logged in bounded lines: 1,000 malformed requests full of control bytes, or a WebSocket
 * upgrade to a backend that does not speak WebSocket, give at most one short escaped line per kind and window,
 * never the client's raw bytes or a stack trace.
 */
class ClientFaultLoggingTest {

    private static final int REQUESTS = 1_000;
    private static final String ATTACK = "GARBAGE\u001b[31m" + "A".repeat(500) + "\u0000\r\n\r\n";

    @TempDir
    static Path config;
    private static HeaderRecordingBackend backend;
    private static GatewayHarness gateway;
    private static final ListAppender<ILoggingEvent> events = new ListAppender<>();

    @BeforeAll
    static void start() {
        backend = new HeaderRecordingBackend();
        GatewayHarness.write(config, "routes.yaml", GatewayHarness.everythingTo("plain"));
        GatewayHarness.write(config, "plain.yaml", GatewayHarness.serviceEntry("plain", Map.of("v1", backend.port())));
        gateway = new GatewayHarness(config);
        events.start();
        root().addAppender(events);
    }

    @AfterAll
    static void stop() {
        root().detachAppender(events);
        gateway.close();
        backend.close();
    }

    @BeforeEach
    void clear() {
        events.list.clear();
    }

    @Test
    void aThousandMalformedRequestsLogABoundedNumberOfShortEscapedLines() throws IOException {
        long started = System.nanoTime();
        for (int i = 0; i < REQUESTS; i++) {
            assertThat(statusLine(ATTACK)).startsWith("HTTP/1.1 400");
        }
        long windows = 1 + Duration.ofNanos(System.nanoTime() - started).toSeconds() / 10;

        List<ILoggingEvent> faults = warnings();
        assertThat(faults).hasSizeBetween(1, (int) (2 * windows));
        assertBounded(faults);
    }

    @Test
    void aWebSocketToAPlainBackendLogsAtMostOneShortLine() {
        for (int i = 0; i < 5; i++) {
            HttpClient.create().headers(h -> h.set("Host", "a.example.com"))
                    .websocket().uri("ws://127.0.0.1:" + gateway.port(80) + "/ws")
                    .handle((in, out) -> in.receive().asString())
                    .onErrorResume(error -> Mono.empty())
                    .blockLast(Duration.ofSeconds(10));
        }

        List<ILoggingEvent> faults = warnings();
        assertThat(faults).hasSizeLessThanOrEqualTo(4);
        assertBounded(faults);
    }

    private static List<ILoggingEvent> warnings() {
        return List.copyOf(events.list).stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN)).toList();
    }

    private static void assertBounded(List<ILoggingEvent> faults) {
        for (ILoggingEvent event : faults) {
            assertThat(event.getLoggerName()).isEqualTo(ClientFaultLogging.LOGGER);
            assertThat(event.getFormattedMessage()).hasSizeLessThanOrEqualTo(200)
                    .doesNotContain("\u001b").doesNotContain("\u0000").doesNotContain("\n");
            assertThat(event.getThrowableProxy()).isNull();
        }
    }

    private static Logger root() {
        return ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    private static String statusLine(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", gateway.port(80))) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return RawLines.line(socket.getInputStream());
        }
    }
}
