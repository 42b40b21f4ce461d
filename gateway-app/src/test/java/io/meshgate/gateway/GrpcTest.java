package io.meshgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.CallOptions;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.meshgate.gateway.TestCertificates.Algorithm;
import io.meshgate.gateway.TestCertificates.Issued;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gRPC end to end: a grpc-java client calls a grpc-java server through the gateway, over h2c (prior knowledge) on an
 * HTTP port and over TLS with ALPN h2 on an HTTPS port; the backend's ServiceEntry port says {@code GRPC}, so the
 * gateway speaks HTTP/2 to it. Unary, server-streaming and bidirectional calls work; trailers ({@code grpc-status},
 * {@code grpc-message}, custom ones) reach the client; a fault abort with {@code grpcStatus} answers with that
 * status without calling the backend; metrics carry the gRPC status.
 */
class GrpcTest {

    private static final String CONFIG = """
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: edge, namespace: default}
            spec:
              selector: {istio: ingressgateway}
              servers:
              - port: {number: 80, name: grpc, protocol: GRPC}
                hosts: [grpc.example.com]
              - port: {number: 443, name: https, protocol: HTTPS}
                hosts: [grpc.example.com]
                tls: {mode: SIMPLE, credentialName: grpc-cert}
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: grpc, namespace: default}
            spec:
              hosts: [grpc.example.com]
              gateways: [edge]
              http:
              - match: [{headers: {x-fault: {exact: unavailable}}}]
                fault: {abort: {grpcStatus: UNAVAILABLE, percentage: {value: 100}}}
                route: [{destination: {host: echo.grpc.svc.cluster.local}}]
              - route: [{destination: {host: echo.grpc.svc.cluster.local}}]
            ---
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: echo, namespace: grpc}
            spec:
              hosts: [echo.grpc.svc.cluster.local]
              ports: [{number: 9090, name: grpc, protocol: GRPC}]
              resolution: STATIC
              endpoints:
              - address: 127.0.0.1
                ports: {grpc: %d}
            """;

    @TempDir
    static Path config;
    private static GrpcEchoServer backend;
    private static GatewayHarness gateway;
    private static ManagedChannel plain;
    private static ManagedChannel tls;

    @BeforeAll
    static void start() throws Exception {
        backend = new GrpcEchoServer();
        Issued ca = TestCertificates.ca("grpc CA");
        TestCertificates.issue(ca, "grpc", Algorithm.EC, "grpc.example.com")
                .writeSecret(config.resolve("credentials/grpc-cert"), null);
        GatewayHarness.write(config, "grpc.yaml", CONFIG.formatted(backend.port()));
        gateway = new GatewayHarness(config);
        plain = NettyChannelBuilder.forAddress("127.0.0.1", gateway.port(80))
                .overrideAuthority("grpc.example.com")
                .usePlaintext()
                .build();
        tls = NettyChannelBuilder.forAddress("127.0.0.1", gateway.port(443))
                .overrideAuthority("grpc.example.com")
                .sslContext(GrpcSslContexts.forClient().trustManager(ca.certificate()).build())
                .build();
    }

    @AfterAll
    static void stop() throws Exception {
        plain.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        tls.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        gateway.close();
        backend.close();
    }

    private record Captured(String reply, Metadata trailers) {
    }

    private static Captured unary(ManagedChannel channel, String name) {
        AtomicReference<Metadata> headers = new AtomicReference<>();
        AtomicReference<Metadata> trailers = new AtomicReference<>();
        var intercepted = ClientInterceptors.intercept(channel,
                MetadataUtils.newCaptureMetadataInterceptor(headers, trailers));
        String reply = ClientCalls.blockingUnaryCall(intercepted, GrpcEchoServer.SAY, options(), name);
        return new Captured(reply, trailers.get());
    }

    private static CallOptions options() {
        return CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    @Test
    void aUnaryCallOverH2cGetsItsReplyAndTrailers() {
        Captured call = unary(plain, "plain");

        assertThat(call.reply()).isEqualTo("hello plain");
        assertThat(call.trailers().get(GrpcEchoServer.TRAILER)).isEqualTo("done");
        assertThat(call.trailers().get(GrpcEchoServer.AUTHORITY_SEEN)).isEqualTo("grpc.example.com");
    }

    @Test
    void aUnaryCallOverTlsWithAlpnH2GetsItsReplyAndTrailers() {
        Captured call = unary(tls, "tls");

        assertThat(call.reply()).isEqualTo("hello tls");
        assertThat(call.trailers().get(GrpcEchoServer.TRAILER)).isEqualTo("done");
    }

    @Test
    void aFailedCallKeepsItsStatusMessageAndTrailers() {
        AtomicReference<Metadata> headers = new AtomicReference<>();
        AtomicReference<Metadata> trailers = new AtomicReference<>();
        var intercepted = ClientInterceptors.intercept(plain,
                MetadataUtils.newCaptureMetadataInterceptor(headers, trailers));

        assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(intercepted, GrpcEchoServer.FAIL, options(),
                "no such order"))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                    assertThat(e.getStatus().getDescription()).isEqualTo("no such order");
                });
        assertThat(trailers.get().get(GrpcEchoServer.TRAILER)).isEqualTo("done");
    }

    @Test
    void aServerStreamArrivesWholeAndInOrder() {
        Iterator<String> replies = ClientCalls.blockingServerStreamingCall(plain, GrpcEchoServer.COUNT, options(),
                "500");
        List<String> received = new ArrayList<>();
        replies.forEachRemaining(received::add);

        assertThat(received).containsExactlyElementsOf(IntStream.rangeClosed(1, 500).mapToObj(Integer::toString)
                .toList());
    }

    @Test
    void aBidirectionalStreamAnswersEachMessageBeforeTheClientIsDone() throws Exception {
        List<String> replies = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        StreamObserver<String> requests = ClientCalls.asyncBidiStreamingCall(
                tls.newCall(GrpcEchoServer.CHAT, options()), new StreamObserver<>() {
                    @Override
                    public void onNext(String reply) {
                        replies.add(reply);
                    }

                    @Override
                    public void onError(Throwable error) {
                        done.completeExceptionally(error);
                    }

                    @Override
                    public void onCompleted() {
                        done.complete(null);
                    }
                });
        for (int i = 1; i <= 20; i++) {
            requests.onNext("m" + i);
            int expected = i;
            // each answer comes back while the request stream is still open: nothing is buffered to the end
            await().atMost(Duration.ofSeconds(5)).until(() -> replies.size() == expected);
        }
        requests.onCompleted();
        done.get(10, TimeUnit.SECONDS);

        assertThat(replies).containsExactlyElementsOf(IntStream.rangeClosed(1, 20).mapToObj(i -> "echo m" + i)
                .toList());
    }

    @Test
    void aFaultAbortAnswersWithTheGrpcStatusWithoutCallingTheBackend() {
        Metadata fault = new Metadata();
        fault.put(Metadata.Key.of("x-fault", Metadata.ASCII_STRING_MARSHALLER), "unavailable");
        var intercepted = ClientInterceptors.intercept(plain, MetadataUtils.newAttachHeadersInterceptor(fault));

        assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(intercepted, GrpcEchoServer.SAY, options(), "x"))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e ->
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    }

    @Test
    void metricsCountGrpcRequestsWithTheirGrpcStatus() {
        unary(plain, "counted");
        assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(plain, GrpcEchoServer.FAIL, options(), "x"))
                .isInstanceOf(StatusRuntimeException.class);

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            String metrics = gateway.prometheus();
            assertThat(metrics).containsPattern("istio_requests_total\\{[^}]*destination_service=\"echo.grpc.svc"
                    + ".cluster.local\"[^}]*grpc_response_status=\"0\"[^}]*request_protocol=\"grpc\"[^}]*"
                    + "response_code=\"200\"");
            assertThat(metrics).containsPattern("istio_requests_total\\{[^}]*grpc_response_status=\"5\"[^}]*"
                    + "request_protocol=\"grpc\"");
        });
    }
}
