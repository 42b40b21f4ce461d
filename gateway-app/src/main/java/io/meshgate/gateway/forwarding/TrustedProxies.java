package io.meshgate.gateway.forwarding;

import io.meshgate.gateway.ratelimit.Cidr;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The address ranges of the proxies in front of the gateway. A connection from any other address is external, as
 * Envoy treats a request whose peer is not an internal address; unlike Envoy's historical default (loopback and
 * RFC 1918 ranges internal), no range is trusted unless the operator lists it, as the gateway is the edge.
 */
public record TrustedProxies(List<Cidr> ranges) {

    public TrustedProxies {
        ranges = List.copyOf(ranges);
    }

    /** The ranges of {@code gateway.forwarding.trusted-proxies}; one that is not an IP literal stops the start. */
    public static TrustedProxies parse(List<String> cidrs) {
        return new TrustedProxies(cidrs.stream().map(String::strip).filter(c -> !c.isEmpty())
                .map(TrustedProxies::range).toList());
    }

    private static Cidr range(String cidr) {
        try {
            return Cidr.parse(cidr);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("gateway.forwarding.trusted-proxies: " + e.getMessage(), e);
        }
    }

    /** Whether the peer of a connection is one of the trusted proxies. */
    public boolean trusts(@Nullable InetSocketAddress peer) {
        if (ranges.isEmpty() || peer == null || peer.getAddress() == null) {
            return false;
        }
        InetAddress address = peer.getAddress();
        for (Cidr range : ranges) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }
}
