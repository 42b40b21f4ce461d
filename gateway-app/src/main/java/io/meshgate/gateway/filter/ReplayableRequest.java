package io.meshgate.gateway.filter;

import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import reactor.core.publisher.Flux;

/**
 * The downstream request as the tries of {@link RetryFilter} send it, knowing whether it can be sent again.
 *
 * <ul>
 *   <li>A request without a body (no {@code Transfer-Encoding}, no or a zero {@code Content-Length}) always can.
 *       Its empty body is read by the first try that sends it, so that decorators of the body see it end; later
 *       tries send an empty body instead of reading the server connection's inbound again.
 *   <li>A request with a body can be sent again only while no try has started reading its body, as after a
 *       connect failure. The body is streamed, not buffered: what a backend has read cannot be replayed.
 * </ul>
 */
final class ReplayableRequest extends ServerHttpRequestDecorator {

    private final boolean bodiless;
    private final AtomicBoolean bodyRead = new AtomicBoolean();

    ReplayableRequest(ServerHttpRequest request) {
        super(request);
        this.bodiless = isBodiless(request.getHeaders());
    }

    static boolean isBodiless(HttpHeaders headers) {
        // HTTP/2 requests with a body and no content-length get Transfer-Encoding from Netty's HTTP/1 adapter
        return !headers.containsHeader(HttpHeaders.TRANSFER_ENCODING) && headers.getContentLength() <= 0;
    }

    @Override
    public Flux<DataBuffer> getBody() {
        return Flux.defer(() -> {
            boolean first = bodyRead.compareAndSet(false, true);
            return first || !bodiless ? super.getBody() : Flux.empty();
        });
    }

    /** Whether another try may send this request. */
    boolean replayable() {
        return bodiless || !bodyRead.get();
    }
}
