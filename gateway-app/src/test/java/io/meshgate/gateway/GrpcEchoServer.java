package io.meshgate.gateway;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A real grpc-java server on 127.0.0.1 (plaintext HTTP/2, as gRPC backends in a mesh are) with a small echo service
 * whose messages are UTF-8 strings, so that no generated code is needed: a unary call, a call that fails with a
 * status and message, a server stream and a bidirectional stream. Every call ends with a custom trailer
 * {@code x-echo-trailer: done} besides gRPC's own.
 */
final class GrpcEchoServer implements AutoCloseable {

    static final String SERVICE = "meshgate.test.Echo";
    static final Metadata.Key<String> TRAILER = Metadata.Key.of("x-echo-trailer", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> AUTHORITY_SEEN = Metadata.Key.of("x-authority-seen",
            Metadata.ASCII_STRING_MARSHALLER);

    static final MethodDescriptor.Marshaller<String> UTF8 = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(String value) {
            return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
            try {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    static final MethodDescriptor<String, String> SAY = method("Say", MethodType.UNARY);
    static final MethodDescriptor<String, String> FAIL = method("Fail", MethodType.UNARY);
    static final MethodDescriptor<String, String> COUNT = method("Count", MethodType.SERVER_STREAMING);
    static final MethodDescriptor<String, String> CHAT = method("Chat", MethodType.BIDI_STREAMING);

    private final Server server;

    GrpcEchoServer() throws IOException {
        ServerServiceDefinition echo = ServerServiceDefinition.builder(SERVICE)
                .addMethod(SAY, ServerCalls.asyncUnaryCall((name, reply) -> {
                    reply.onNext("hello " + name);
                    reply.onCompleted();
                }))
                .addMethod(FAIL, ServerCalls.asyncUnaryCall((why, reply) ->
                        reply.onError(Status.NOT_FOUND.withDescription(why).asRuntimeException())))
                .addMethod(COUNT, ServerCalls.asyncServerStreamingCall((upTo, reply) -> {
                    for (int i = 1; i <= Integer.parseInt(upTo); i++) {
                        reply.onNext(Integer.toString(i));
                    }
                    reply.onCompleted();
                }))
                .addMethod(CHAT, ServerCalls.asyncBidiStreamingCall(reply -> new StreamObserver<String>() {
                    @Override
                    public void onNext(String message) {
                        reply.onNext("echo " + message);
                    }

                    @Override
                    public void onError(Throwable error) {
                    }

                    @Override
                    public void onCompleted() {
                        reply.onCompleted();
                    }
                }))
                .build();
        this.server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(ServerInterceptors.intercept(echo, new TrailerInterceptor()))
                .build()
                .start();
    }

    int port() {
        return server.getPort();
    }

    private static MethodDescriptor<String, String> method(String name, MethodType type) {
        return MethodDescriptor.<String, String>newBuilder()
                .setType(type)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, name))
                .setRequestMarshaller(UTF8)
                .setResponseMarshaller(UTF8)
                .build();
    }

    /** Adds the custom trailer, and the authority the call arrived with, to every call's trailers. */
    private static final class TrailerInterceptor implements ServerInterceptor {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                ServerCallHandler<Q, R> next) {
            String authority = call.getAuthority();
            return next.startCall(new SimpleForwardingServerCall<>(call) {
                @Override
                public void close(Status status, Metadata trailers) {
                    trailers.put(TRAILER, "done");
                    trailers.put(AUTHORITY_SEEN, String.valueOf(authority));
                    super.close(status, trailers);
                }
            }, headers);
        }
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
