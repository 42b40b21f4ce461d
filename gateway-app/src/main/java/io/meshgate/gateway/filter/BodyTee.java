package io.meshgate.gateway.filter;

import java.nio.ByteBuffer;
import java.util.concurrent.CancellationException;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * Copies a request body for the mirrors while it streams to the main backend. The main request is never held
 * back: each chunk is copied as it passes and the mirrors read the copies at their own pace. The copies are heap
 * arrays, so a mirror that never reads them leaks no pooled buffer, and they stop at {@code limit} bytes.
 */
final class BodyTee {

    private final Sinks.Many<byte[]> copies = Sinks.many().replay().all();
    private final long limit;
    private long copied;

    BodyTee(long limit) {
        this.limit = limit;
    }

    /** The body as the mirrors get it: it completes when the main request's body has been read to its end. */
    Flux<byte[]> copies() {
        return copies.asFlux();
    }

    /** The request to forward instead of {@code request}: the same, with its body copied as it is read. */
    ServerHttpRequest wrap(ServerHttpRequest request) {
        return new ServerHttpRequestDecorator(request) {
            @Override
            public Flux<DataBuffer> getBody() {
                return super.getBody()
                        .doOnNext(BodyTee.this::copy)
                        .doOnComplete(copies::tryEmitComplete)
                        .doOnError(copies::tryEmitError)
                        .doOnCancel(() -> copies.tryEmitError(new CancellationException("main request cancelled")));
            }
        };
    }

    // called in order, one chunk at a time, before the proxy writes (and releases) the buffer
    private void copy(DataBuffer buffer) {
        int length = buffer.readableByteCount();
        copied += length;
        if (copied > limit) {
            // the client sent more than its Content-Length promised; the mirror gets no truncated body
            copies.tryEmitError(new IllegalStateException("request body over " + limit + " bytes"));
            return;
        }
        byte[] bytes = new byte[length];
        buffer.toByteBuffer(buffer.readPosition(), ByteBuffer.wrap(bytes), 0, length);
        copies.tryEmitNext(bytes);
    }
}
