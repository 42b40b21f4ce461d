package io.meshgate.gateway.proxy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.web.reactive.socket.WebSocketMessage;

/**
 * The backend's WebSocket messages read ahead of the client: each is retained when read and owned here until it is
 * handed to the client's side, or released when the relay ends without it (the client's upgrade failed, the client
 * went away), so that no buffer outlives the session. Once released, nothing more is held.
 */
final class HeldMessages {

    private final Set<WebSocketMessage> held = Collections.newSetFromMap(new IdentityHashMap<>());
    private boolean released;

    /** Takes a message as it is read from the backend (before the reader's buffer is freed). */
    synchronized void hold(WebSocketMessage message) {
        if (!released) {
            message.retain();
            held.add(message);
        }
    }

    /** Whether the message is still held, and so now the caller's to send (and the sender's to free). */
    synchronized boolean handOver(WebSocketMessage message) {
        return held.remove(message);
    }

    /** Frees every message not handed over, and every one read from now on. */
    void releaseAll() {
        List<WebSocketMessage> left;
        synchronized (this) {
            released = true;
            left = new ArrayList<>(held);
            held.clear();
        }
        left.forEach(message -> DataBufferUtils.release(message.getPayload()));
    }

    synchronized int size() {
        return held.size();
    }
}
