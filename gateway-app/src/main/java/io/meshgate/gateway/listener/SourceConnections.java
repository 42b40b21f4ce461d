package io.meshgate.gateway.listener;

import io.meshgate.gateway.forwarding.TrustedProxies;
import io.netty.channel.Channel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The connections open from each client address, across every listener, so that one client cannot take the file
 * descriptors of all: a connection beyond the limit is closed as soon as it is accepted, before a byte of it is read.
 * An address leaves the table with its last connection. A trusted proxy ({@code gateway.forwarding.trusted-proxies})
 * is not capped: an L7 load balancer in front of the gateway carries the connections of all clients from a few
 * addresses, and capping those would cap the whole edge.
 */
final class SourceConnections {

    private final int limit;
    private final TrustedProxies exempt;
    private final ConcurrentHashMap<InetAddress, AtomicInteger> open = new ConcurrentHashMap<>();

    /**
     * @param limit the most connections from one address; zero for no limit
     * @param exempt the addresses not capped
     */
    SourceConnections(int limit, TrustedProxies exempt) {
        this.limit = limit;
        this.exempt = exempt;
    }

    /** Counts a new connection until it closes; false, and not counted, when its address is at the limit. */
    boolean admit(Channel channel, @Nullable SocketAddress remote) {
        if (limit == 0 || !(remote instanceof InetSocketAddress inet) || inet.getAddress() == null
                || exempt.trusts(inet)) {
            return true;
        }
        InetAddress address = inet.getAddress();
        boolean[] admitted = new boolean[1];
        open.compute(address, (key, count) -> {
            AtomicInteger counted = count == null ? new AtomicInteger() : count;
            admitted[0] = counted.get() < limit;
            if (admitted[0]) {
                counted.incrementAndGet();
            }
            return counted.get() == 0 ? null : counted;
        });
        if (admitted[0]) {
            channel.closeFuture().addListener(done -> release(address));
        }
        return admitted[0];
    }

    private void release(InetAddress address) {
        open.computeIfPresent(address, (key, count) -> count.decrementAndGet() == 0 ? null : count);
    }
}
