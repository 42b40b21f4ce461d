package io.meshgate.gateway.listener;

import java.util.HashMap;
import java.util.Map;

/**
 * Gateway server ports mapped to the local ports actually bound ({@code --gateway.port-map=80:8080,443:8443}). A
 * port that is not listed is bound as written; {@code 80:0} binds any free port.
 */
public record PortMap(Map<Integer, Integer> localByGatewayPort) {
    public PortMap {
        localByGatewayPort = Map.copyOf(localByGatewayPort);
    }

    public static PortMap parse(String text) {
        Map<Integer, Integer> map = new HashMap<>();
        for (String pair : text.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            String[] parts = pair.strip().split(":");
            if (parts.length != 2) {
                throw new IllegalArgumentException("gateway.port-map: \"" + pair + "\" (expected: GATEWAY:LOCAL)");
            }
            try {
                map.put(Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("gateway.port-map: \"" + pair + "\" (expected: numbers)", e);
            }
        }
        return new PortMap(map);
    }

    public int localPort(int gatewayPort) {
        return localByGatewayPort.getOrDefault(gatewayPort, gatewayPort);
    }
}
