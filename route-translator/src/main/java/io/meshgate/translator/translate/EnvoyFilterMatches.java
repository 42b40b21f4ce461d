package io.meshgate.translator.translate;

import io.fabric8.istio.api.api.networking.v1alpha3.EnvoyFilterEnvoyConfigObjectMatch;
import io.fabric8.istio.api.api.networking.v1alpha3.EnvoyFilterEnvoyConfigObjectMatchListener;
import io.fabric8.istio.api.api.networking.v1alpha3.EnvoyFilterEnvoyConfigObjectMatchRouteConfiguration;
import io.fabric8.istio.api.api.networking.v1alpha3.EnvoyFilterListenerMatch;
import io.fabric8.istio.api.api.networking.v1alpha3.EnvoyFilterListenerMatchFilterChainMatch;
import io.fabric8.istio.api.api.networking.v1alpha3.EnvoyFilterRouteConfigurationMatch;
import io.fabric8.istio.api.api.networking.v1alpha3.EnvoyFilterRouteConfigurationMatchRouteMatchAction;
import io.fabric8.istio.api.api.networking.v1alpha3.EnvoyFilterRouteConfigurationMatchVirtualHostMatch;
import io.meshgate.translator.diag.Code;
import io.meshgate.translator.diag.Level;
import io.meshgate.translator.ir.Route;
import io.meshgate.translator.ir.RouteAction;
import io.meshgate.translator.ir.Server;
import io.meshgate.translator.ir.SourceRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The parts of an EnvoyFilter patch's {@code match} that say where it applies at a gateway, in this gateway's
 * terms: Istio names a gateway's listeners {@code 0.0.0.0_<port>}, its virtual hosts {@code <host>:<port>} and its
 * routes after the http rule ({@code <rule name>} or {@code <rule name>.<match name>}), as this gateway does. Match
 * fields with no counterpart here are reported, and the patch is left out.
 */
final class EnvoyFilterMatches {

    static final String HTTP_CONNECTION_MANAGER = "envoy.filters.network.http_connection_manager";

    /** Where a patch of an HTTP filter applies: the listeners (Gateway server ports) it names, or all. */
    record Listener(Optional<Integer> port, Optional<String> portName, Optional<String> name) {
        static final Listener ANY = new Listener(Optional.empty(), Optional.empty(), Optional.empty());

        boolean matches(Server server) {
            return port.map(p -> p == server.port()).orElse(true)
                    && portName.map(n -> server.name().equals(server.gateway() + "/" + n)).orElse(true)
                    && name.map(n -> n.equals("0.0.0.0_" + server.port())).orElse(true);
        }
    }

    /** Where a patch of routes applies. */
    record Routes(Listener listener, Optional<String> gateway, Optional<String> virtualHost, Optional<String> domain,
            Optional<String> route, EnvoyFilterRouteConfigurationMatchRouteMatchAction action) {
        static final Routes ANY = new Routes(Listener.ANY, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), EnvoyFilterRouteConfigurationMatchRouteMatchAction.ANY);

        /**
         * Whether the route, served through {@code server} in the virtual host {@code host} ({@code <domain>:<port>})
         * under Istio's route name {@code istioName}, is one the patch selects.
         */
        boolean matches(Server server, String host, String domain, Route route, String istioName) {
            return listener.matches(server) && gateway.map(server.gateway()::equals).orElse(true)
                    && virtualHost.map(host::equals).orElse(true) && this.domain.map(domain::equals).orElse(true)
                    && this.route.map(istioName::equals).orElse(true) && actionMatches(route.action());
        }

        private boolean actionMatches(RouteAction routeAction) {
            return switch (action) {
                case ROUTE -> routeAction instanceof RouteAction.Forward;
                case REDIRECT -> routeAction instanceof RouteAction.Redirect;
                case DIRECT_RESPONSE -> routeAction instanceof RouteAction.DirectResponse;
                default -> true;
            };
        }
    }

    private final Reporter reporter;
    private final SourceRef resource;
    private final List<String> unsupported = new ArrayList<>();

    EnvoyFilterMatches(Reporter reporter, SourceRef resource) {
        this.reporter = reporter;
        this.resource = resource;
    }

    /** The listeners an HTTP_FILTER patch applies to, or empty when its match cannot be applied here (reported). */
    Optional<Listener> listener(@Nullable EnvoyFilterEnvoyConfigObjectMatch match, String path) {
        if (match == null || match.getObjectTypes() == null) {
            return Optional.of(Listener.ANY);
        }
        if (!(match.getObjectTypes() instanceof EnvoyFilterEnvoyConfigObjectMatchListener object)
                || object.getListener() == null) {
            reporter.report(Code.SCHEMA_VALIDATION_ERROR, resource, path, "(expected: a listener match for "
                    + "applyTo HTTP_FILTER)");
            return Optional.empty();
        }
        EnvoyFilterListenerMatch listener = object.getListener();
        String at = path + ".listener";
        unsupported.clear();
        unsupportedIf(listener.getListenerFilter() != null, at + ".listenerFilter");
        EnvoyFilterListenerMatchFilterChainMatch chain = listener.getFilterChain();
        if (chain != null) {
            String chainPath = at + ".filterChain";
            unsupportedIf(chain.getName() != null, chainPath + ".name");
            unsupportedIf(chain.getSni() != null, chainPath + ".sni");
            unsupportedIf(chain.getTransportProtocol() != null, chainPath + ".transportProtocol");
            unsupportedIf(chain.getApplicationProtocols() != null, chainPath + ".applicationProtocols");
            unsupportedIf(chain.getDestinationPort() != null, chainPath + ".destinationPort");
            if (chain.getFilter() != null && chain.getFilter().getName() != null
                    && !chain.getFilter().getName().equals(HTTP_CONNECTION_MANAGER)) {
                reporter.report(Code.UNSUPPORTED_FIELD, Level.WARNING, resource, chainPath + ".filter.name",
                        "network filter " + chain.getFilter().getName() + " is not supported by this gateway version "
                                + "(HTTP filters go into " + HTTP_CONNECTION_MANAGER + "); patch ignored");
                return Optional.empty();
            }
        }
        if (reportUnsupported()) {
            return Optional.empty();
        }
        return Optional.of(new Listener(Optional.ofNullable(listener.getPortNumber()).map(Long::intValue),
                Optional.ofNullable(listener.getPortName()), Optional.ofNullable(listener.getName())));
    }

    /** The routes an HTTP_ROUTE patch applies to, or empty when its match cannot be applied here (reported). */
    Optional<Routes> routes(@Nullable EnvoyFilterEnvoyConfigObjectMatch match, String path) {
        if (match == null || match.getObjectTypes() == null) {
            return Optional.of(Routes.ANY);
        }
        if (!(match.getObjectTypes() instanceof EnvoyFilterEnvoyConfigObjectMatchRouteConfiguration object)
                || object.getRouteConfiguration() == null) {
            reporter.report(Code.SCHEMA_VALIDATION_ERROR, resource, path, "(expected: a routeConfiguration match "
                    + "for applyTo HTTP_ROUTE)");
            return Optional.empty();
        }
        EnvoyFilterRouteConfigurationMatch config = object.getRouteConfiguration();
        String at = path + ".routeConfiguration";
        unsupported.clear();
        unsupportedIf(config.getName() != null, at + ".name");
        if (reportUnsupported()) {
            return Optional.empty();
        }
        Listener listener = new Listener(Optional.ofNullable(config.getPortNumber()).map(Long::intValue),
                Optional.ofNullable(config.getPortName()), Optional.empty());
        EnvoyFilterRouteConfigurationMatchVirtualHostMatch host = config.getVhost();
        var route = host == null ? null : host.getRoute();
        return Optional.of(new Routes(listener, Optional.ofNullable(config.getGateway()),
                Optional.ofNullable(host == null ? null : host.getName()),
                Optional.ofNullable(host == null ? null : host.getDomainName()),
                Optional.ofNullable(route == null ? null : route.getName()),
                route == null || route.getAction() == null ? EnvoyFilterRouteConfigurationMatchRouteMatchAction.ANY
                        : route.getAction()));
    }

    private void unsupportedIf(boolean set, String path) {
        if (set) {
            unsupported.add(path);
        }
    }

    private boolean reportUnsupported() {
        for (String path : unsupported) {
            reporter.report(Code.UNSUPPORTED_FIELD, Level.WARNING, resource, path, "this match condition is not "
                    + "supported by this gateway version; patch ignored");
        }
        return !unsupported.isEmpty();
    }
}
