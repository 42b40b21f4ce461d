package io.meshgate.gateway.listener;

import io.meshgate.gateway.LimitsProperties;
import io.meshgate.gateway.forwarding.TrustedProxies;
import io.meshgate.gateway.passthrough.PassthroughRouter;
import io.meshgate.gateway.runner.ConfigRunner;
import io.meshgate.gateway.tls.TlsListeners;
import java.time.Duration;

/** What the listeners need to know: the live configuration, port mapping and binding. */
record ListenerSettings(ConfigRunner runner, PortMap portMap, BoundPorts boundPorts, String bindAddress,
        Duration drainTimeout,
        TlsListeners tls, PassthroughRouter passthrough, LimitsProperties limits, TrustedProxies trustedProxies) {
}
