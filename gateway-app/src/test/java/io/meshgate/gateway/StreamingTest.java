package io.meshgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;

/**
 * Bodies stream through the gateway in both directions (far larger than any buffer), WebSocket upgrades pass
 * through, and the request headers Envoy sets at the edge reach the backend.
 */
class StreamingTest {

    private static final long BIG = 64L * 1024 * 1024;
    private static final int CHUNK = 64 * 1024;

    @TempDir
    static Path config;
    private static DisposableServer backend;
    private static GatewayHarness gateway;

    @BeforeAll
    static void start() {
        backend = HttpServer.create().host("127.0.0.1").port(0)
                .route(routes -> routes
                        .post("/upload", (request, response) -> request.receive()
                                .map(ByteBuf::readableBytes).reduce(0L, (sum, n) -> sum + n)
                                .flatMap(total -> response.sendString(Mono.just(String.valueOf(total))).then()))
                        .get("/download", (request, response) -> response.send(Flux.range(0, (int) (BIG / CHUNK))
                                .map(i -> Unpooled.wrappedBuffer(new byte[CHUNK]))))
                        .get("/headers", (request, response) -> {
                            request.requestHeaders().forEach(h -> response.addHeader("x-echo-" + h.getKey(),
                                    h.getValue()));
                            return response.send();
                        })
                        .post("/headers", (request, response) -> request.receive().aggregate().asString()
                                .defaultIfEmpty("")
                                .flatMap(body -> {
                                    request.requestHeaders().forEach(h -> response.addHeader("x-echo-" + h.getKey(),
                                            h.getValue()));
                                    return response.sendString(Mono.just(body)).then();
                                }))
                        .ws("/ws", (in, out) -> out.sendString(in.receive().asString().map(text -> "echo " + text)))
                        .ws("/ws-host", (in, out) -> out.sendString(Mono.just("host " + in.headers().get("host")))))
                .bindNow();
        GatewayHarness.write(config, "routes.yaml", GatewayHarness.everythingTo("stream"));
        GatewayHarness.write(config, "stream.yaml", GatewayHarness.serviceEntry("stream",
                Map.of("v1", backend.port())));
        gateway = new GatewayHarness(config);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        backend.disposeNow();
    }

    @Test
    void streamsALargeUpload() {
        Flux<ByteBuf> body = Flux.range(0, (int) (BIG / CHUNK)).map(i -> Unpooled.wrappedBuffer(new byte[CHUNK]));

        String received = gateway.client("a.example.com").post().uri("/upload").send(body)
                .responseContent().aggregate().asString().block(Duration.ofSeconds(60));

        assertThat(received).isEqualTo(String.valueOf(BIG));
    }

    @Test
    void streamsALargeDownload() {
        AtomicLong bytes = new AtomicLong();

        gateway.client("a.example.com").get().uri("/download").responseContent()
                .doOnNext(buffer -> bytes.addAndGet(buffer.readableBytes()))
                .then().block(Duration.ofSeconds(60));

        assertThat(bytes.get()).isEqualTo(BIG);
    }

    @Test
    void passesWebSocketUpgradesThrough() {
        String answer = HttpClient.create().headers(h -> h.set("Host", "a.example.com"))
                .websocket().uri("ws://127.0.0.1:" + gateway.port(80) + "/ws")
                .handle((in, out) -> out.sendString(Mono.just("hello"))
                        .then()
                        .thenMany(in.receive().asString().take(1)))
                .blockFirst(Duration.ofSeconds(10));

        assertThat(answer).isEqualTo("echo hello");
    }

    @Test
    void aWebSocketUpgradeKeepsTheClientsHost() {
        String answer = HttpClient.create()
                .headers(h -> h.set("Host", "a.example.com"))
                .websocket().uri("ws://127.0.0.1:" + gateway.port(80) + "/ws-host")
                .handle((in, out) -> in.receive().asString().take(1))
                .blockFirst(Duration.ofSeconds(10));

        assertThat(answer).isEqualTo("host a.example.com");
    }

    @Test
    void setsTheEdgeHeadersEnvoySetsAndDropsHopByHopOnes() {
        var headers = gateway.client("a.example.com")
                .headers(h -> h.set("x-forwarded-for", "203.0.113.7").set("x-forwarded-proto", "https")
                        .set("proxy-connection", "keep-alive").set("te", "trailers").set("keep-alive", "timeout=5"))
                .get().uri("/headers")
                .responseSingle((response, body) -> body.then(Mono.just(response.responseHeaders())))
                .block();

        assertThat(headers.get("x-echo-x-forwarded-for")).isEqualTo("203.0.113.7,127.0.0.1");
        assertThat(headers.get("x-echo-x-forwarded-proto")).isEqualTo("http");
        assertThat(headers.get("x-echo-x-request-id")).matches("[0-9a-f-]{36}");
        assertThat(headers.get("x-echo-host")).isEqualTo("a.example.com");
        assertThat(headers.get("x-echo-keep-alive")).isNull();
        assertThat(headers.get("x-echo-proxy-connection")).isNull();
        assertThat(headers.get("x-echo-forwarded")).isNull();
        assertThat(headers.get("x-echo-x-forwarded-host")).isNull();
    }

    @Test
    void forwardsTheClientsOwnAcceptAndUserAgentOnce() {
        var headers = gateway.client("a.example.com")
                .headers(h -> h.set("user-agent", "curl/8.5.0").set("accept", "application/json"))
                .get().uri("/headers")
                .responseSingle((response, body) -> body.then(Mono.just(response.responseHeaders())))
                .block();

        assertThat(headers.getAll("x-echo-user-agent")).containsExactly("curl/8.5.0");
        assertThat(headers.getAll("x-echo-accept")).containsExactly("application/json");
    }

    @Test
    void aBodyOfKnownLengthKeepsItsContentLengthAndAChunkedOneStaysChunked() {
        var sized = gateway.client("a.example.com")
                .post().uri("/headers").send(Mono.just(Unpooled.wrappedBuffer("twelve bytes".getBytes())))
                .responseSingle((response, body) -> body.asString().map(text -> Map.entry(text,
                        response.responseHeaders())))
                .block();
        var chunked = gateway.client("a.example.com")
                .post().uri("/headers").send(Flux.just("chunk one, ", "chunk two")
                        .map(text -> Unpooled.wrappedBuffer(text.getBytes())))
                .responseSingle((response, body) -> body.asString().map(text -> Map.entry(text,
                        response.responseHeaders())))
                .block();

        assertThat(sized.getKey()).isEqualTo("twelve bytes");
        assertThat(sized.getValue().get("x-echo-content-length")).isEqualTo("12");
        assertThat(sized.getValue().get("x-echo-transfer-encoding")).isNull();
        assertThat(chunked.getKey()).isEqualTo("chunk one, chunk two");
        assertThat(chunked.getValue().get("x-echo-transfer-encoding")).isEqualTo("chunked");
        assertThat(chunked.getValue().get("x-echo-content-length")).isNull();
    }

    @Test
    void replacesAnExternalClientsRequestId() {
        var headers = gateway.client("a.example.com").headers(h -> h.set("x-request-id", "client-chosen-id"))
                .get().uri("/headers")
                .responseSingle((response, body) -> body.then(Mono.just(response.responseHeaders())))
                .block();

        // Envoy regenerates x-request-id on edge requests (preserve_external_request_id: false)
        assertThat(headers.get("x-echo-x-request-id")).matches("[0-9a-f-]{36}");
    }
}
