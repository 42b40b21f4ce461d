package io.meshgate.gateway;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The gateway's own settings ({@code gateway.*}).
 *
 * @param configDir the directory of Istio resources to serve
 * @param portMap Gateway server ports mapped to the local ports bound, as {@code 80:8080,443:8443}; a port not
 *     listed is bound as written
 * @param pollInterval how often the config directory is checked for changes
 * @param bindAddress the address listeners bind to
 * @param upstreamConnectTimeout how long a connection to an upstream may take to open (Envoy's default: 10 s)
 * @param upstreamIdleTimeout how long an upstream may stay silent, before its response or within its body, before
 *     the request fails with 504 (UT); Envoy's stream idle timeout
 */
@ConfigurationProperties("gateway")
public record GatewayProperties(Path configDir, String portMap, Duration pollInterval, String bindAddress,
        Duration upstreamConnectTimeout, Duration upstreamIdleTimeout) {
    public GatewayProperties {
        configDir = configDir == null ? Path.of("config") : configDir;
        portMap = portMap == null ? "" : portMap;
        pollInterval = pollInterval == null ? Duration.ofMillis(250) : pollInterval;
        bindAddress = bindAddress == null ? "0.0.0.0" : bindAddress;
        upstreamConnectTimeout = upstreamConnectTimeout == null ? Duration.ofSeconds(10) : upstreamConnectTimeout;
        upstreamIdleTimeout = upstreamIdleTimeout == null ? Duration.ofMinutes(5) : upstreamIdleTimeout;
    }
}
