package io.meshgate.gateway.listener;

import io.meshgate.gateway.LimitsProperties;
import io.meshgate.gateway.forwarding.TrustedProxies;
import io.meshgate.gateway.passthrough.PassthroughRouter;
import io.meshgate.gateway.runner.ConfigRunner;
import io.meshgate.gateway.tls.TlsListeners;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.WebServer;
import org.springframework.http.server.reactive.HttpHandler;

/**
 * Gives Spring Boot a web server whose ports are the Gateway server ports of the live configuration. Spring Boot
 * creates the management server's factory from the same class with its no-argument constructor; that instance,
 * without listener settings, is a plain Netty factory.
 */
public class ListenerWebServerFactory extends NettyReactiveWebServerFactory {

    private @Nullable ListenerSettings settings;

    public ListenerWebServerFactory() {
    }

    public static ListenerWebServerFactory forListeners(ConfigRunner runner, PortMap portMap, BoundPorts boundPorts,
            String bindAddress, Duration drainTimeout, TlsListeners tls, PassthroughRouter passthrough,
            LimitsProperties limits, TrustedProxies trustedProxies) {
        ListenerWebServerFactory factory = new ListenerWebServerFactory();
        factory.settings = new ListenerSettings(runner, portMap, boundPorts, bindAddress, drainTimeout, tls,
                passthrough, limits, trustedProxies);
        return factory;
    }

    @Override
    public WebServer getWebServer(HttpHandler httpHandler) {
        return settings == null ? super.getWebServer(httpHandler) : new ListenerWebServer(httpHandler, settings);
    }
}
