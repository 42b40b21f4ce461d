package io.meshgate.gateway.listener;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Which local port serves which Gateway server port, as bound right now. Read on every request. */
public final class BoundPorts {

    private final Map<Integer, Integer> gatewayByLocal = new ConcurrentHashMap<>();
    private final Map<Integer, Integer> localByGateway = new ConcurrentHashMap<>();

    void bound(int gatewayPort, int localPort) {
        gatewayByLocal.put(localPort, gatewayPort);
        localByGateway.put(gatewayPort, localPort);
    }

    void unbound(int gatewayPort) {
        Integer local = localByGateway.remove(gatewayPort);
        if (local != null) {
            gatewayByLocal.remove(local);
        }
    }

    /** The Gateway server port a connection to this local port is for. */
    public Optional<Integer> gatewayPort(int localPort) {
        return Optional.ofNullable(gatewayByLocal.get(localPort));
    }

    /** The local port serving a Gateway server port. */
    public Optional<Integer> localPort(int gatewayPort) {
        return Optional.ofNullable(localByGateway.get(gatewayPort));
    }
}
