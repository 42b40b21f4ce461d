package io.meshgate.translator.translate;

import io.fabric8.istio.api.api.networking.v1alpha3.ServerTLSSettings;
import io.fabric8.istio.api.networking.v1.Gateway;
import io.meshgate.translator.diag.Code;
import io.meshgate.translator.diag.Level;
import io.meshgate.translator.ir.Server;
import io.meshgate.translator.ir.ServerTls;
import io.meshgate.translator.ir.SourceRef;
import io.meshgate.translator.ir.TlsCertificate;
import io.meshgate.translator.load.Loaded;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The Gateway servers this gateway applies, by port and by Gateway. A Gateway applies when its selector matches the
 * gateway's labels. When two Gateways claim the same host on one port (an error, IST0145), plain-text HTTP servers
 * both keep it, as Istio merges them; for TLS servers the first (namespace, name order) keeps it.
 */
final class GatewayServers {

    /** A server host: {@code namespace} is {@code *} or the one namespace whose VirtualServices may bind. */
    record HostSpec(String namespace, String host) {
        boolean admits(String virtualServiceNamespace) {
            return namespace.equals("*") || namespace.equals(virtualServiceNamespace);
        }
    }

    /** One applied server, with the hosts it kept. */
    record Entry(Server server, List<HostSpec> hosts) {
    }

    private final Map<String, List<Entry>> byGateway = new LinkedHashMap<>();
    private final Map<String, SourceRef> known = new HashMap<>();
    private final TreeMap<Integer, List<Entry>> byPort = new TreeMap<>();
    private final Reporter reporter;

    private GatewayServers(Reporter reporter) {
        this.reporter = reporter;
    }

    static GatewayServers of(List<Loaded<Gateway>> gateways, TranslatorOptions options, Reporter reporter) {
        GatewayServers servers = new GatewayServers(reporter);
        Map<Integer, Map<String, String>> claims = new HashMap<>();
        for (Loaded<Gateway> gateway : gateways) {
            servers.add(gateway, options, claims);
        }
        return servers;
    }

    /** Whether a Gateway of that {@code namespace/name} exists, applied or not. */
    boolean exists(String key) {
        return known.containsKey(key);
    }

    /**
     * Whether every question binding asks ({@link #exists}, {@link #ofGateway}, {@link #byPort}) gets the same answer
     * from {@code other}.
     */
    boolean bindsAs(GatewayServers other) {
        return known.keySet().equals(other.known.keySet()) && byGateway.equals(other.byGateway)
                && byPort.equals(other.byPort);
    }

    List<Entry> ofGateway(String key) {
        return byGateway.getOrDefault(key, List.of());
    }

    Map<Integer, List<Entry>> byPort() {
        return byPort;
    }

    private void add(Loaded<Gateway> loaded, TranslatorOptions options, Map<Integer, Map<String, String>> claims) {
        String key = loaded.ref().namespace() + "/" + loaded.ref().name();
        known.put(key, loaded.ref());
        var spec = loaded.resource().getSpec();
        if (spec == null) {
            reporter.report(Code.SCHEMA_VALIDATION_ERROR, loaded.ref(), "spec", "missing (expected: servers)");
            return;
        }
        if (!options.gatewayLabels().entrySet().containsAll(spec.getSelector().entrySet())) {
            reporter.report(Code.GATEWAY_NOT_SELECTED, loaded.ref(), "spec.selector", spec.getSelector()
                    + " does not select this gateway (labels " + new TreeMap<>(options.gatewayLabels())
                    + "); not applied");
            return;
        }
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < spec.getServers().size(); i++) {
            server(loaded, spec.getServers().get(i), "spec.servers[" + i + "]", claims).ifPresent(entries::add);
        }
        byGateway.put(key, entries);
        for (Entry entry : entries) {
            byPort.computeIfAbsent(entry.server().port(), p -> new ArrayList<>()).add(entry);
        }
    }

    private Optional<Entry> server(Loaded<Gateway> loaded, io.fabric8.istio.api.api.networking.v1alpha3.Server spec,
            String path, Map<Integer, Map<String, String>> claims) {
        SourceRef ref = loaded.ref();
        if (spec.getPort() == null || spec.getPort().getNumber() == null) {
            reporter.report(Code.SCHEMA_VALIDATION_ERROR, ref, path + ".port", "missing (expected: port.number)");
            return Optional.empty();
        }
        if (spec.getHosts().isEmpty()) {
            reporter.report(Code.SCHEMA_VALIDATION_ERROR, ref, path + ".hosts", "empty (expected: at least one host)");
            return Optional.empty();
        }
        int port = spec.getPort().getNumber().intValue();
        String protocol = spec.getPort().getProtocol() == null ? "HTTP"
                : spec.getPort().getProtocol().toUpperCase(Locale.ROOT);
        if (spec.getPort().getTargetPort() != null) {
            reporter.report(Code.DEPRECATED, ref, path + ".port.targetPort", "deprecated and ignored");
        }
        reportUnservedTls(spec.getTls(), protocol, ref, path);
        if (spec.getTls() != null && !TlsOptions.checkVersions(spec.getTls(), reporter, ref, path + ".tls")) {
            // no version range to serve: the server is left out, as a listener that cannot be built
            return Optional.empty();
        }
        String gateway = ref.namespace() + "/" + ref.name();
        Map<String, String> claimed = claims.computeIfAbsent(port, p -> new HashMap<>());
        List<HostSpec> hosts = new ArrayList<>();
        for (int h = 0; h < spec.getHosts().size(); h++) {
            HostSpec host = parse(spec.getHosts().get(h), ref.namespace());
            String owner = claimed.putIfAbsent(host.host(), gateway);
            boolean conflict = owner != null && !owner.equals(gateway);
            if (conflict) {
                reporter.report(Code.CONFLICTING_GATEWAYS, ref, path + ".hosts[" + h + "]", "host \"" + host.host()
                        + "\" on port " + port + " is already claimed by Gateway " + owner + (isPlainHttp(protocol)
                        ? "; both apply and their VirtualServices' routes are merged"
                        : "; left out here"));
            }
            if (!conflict || isPlainHttp(protocol)) {
                hosts.add(host);
            }
        }
        String name = gateway + "/" + (spec.getPort().getName() == null ? String.valueOf(port)
                : spec.getPort().getName());
        List<String> written = hosts.stream().map(h -> h.namespace() + "/" + h.host()).toList();
        Server server = new Server(name, ref.at(path), gateway, port, protocol, written,
                tls(spec.getTls(), ref, path + ".tls"));
        return hosts.isEmpty() ? Optional.empty() : Optional.of(new Entry(server, hosts));
    }

    /** TLS modes the gateway does not serve yet: the server is translated but its listener is not opened. */
    private void reportUnservedTls(ServerTLSSettings tls, String protocol, SourceRef ref, String path) {
        if (tls == null || isPlainHttp(protocol)) {
            return;
        }
        String mode = tls.getMode() == null ? "PASSTHROUGH" : tls.getMode().name();
        switch (mode) {
            case "ISTIO_MUTUAL", "AUTO_PASSTHROUGH" -> reporter.report(Code.UNSUPPORTED_FIELD, Level.WARNING, ref,
                    path + ".tls.mode", "TLS mode " + mode + " is not supported by this gateway yet; the server is "
                            + "not served");
            default -> { }
        }
    }

    /**
     * Istio merges plain-text HTTP servers of one port into one route table, so two Gateways claiming a host both
     * serve it; servers with TLS each need their own filter chain, and a host can have only one.
     */
    private static boolean isPlainHttp(String protocol) {
        return protocol.equals("HTTP") || protocol.equals("HTTP2") || protocol.equals("GRPC")
                || protocol.equals("GRPC-WEB");
    }

    private static HostSpec parse(String written, String gatewayNamespace) {
        int slash = written.indexOf('/');
        if (slash < 0) {
            return new HostSpec("*", written.toLowerCase(Locale.ROOT));
        }
        String namespace = written.substring(0, slash);
        return new HostSpec(namespace.equals(".") ? gatewayNamespace : namespace,
                written.substring(slash + 1).toLowerCase(Locale.ROOT));
    }

    private Optional<ServerTls> tls(ServerTLSSettings tls, SourceRef ref, String path) {
        if (tls == null) {
            return Optional.empty();
        }
        return Optional.of(new ServerTls(tls.getMode() == null ? "PASSTHROUGH" : tls.getMode().name(),
                Boolean.TRUE.equals(tls.getHttpsRedirect()), Optional.ofNullable(tls.getCredentialName()),
                tls.getCredentialNames(), Optional.ofNullable(tls.getServerCertificate()),
                Optional.ofNullable(tls.getPrivateKey()), Optional.ofNullable(tls.getCaCertificates()),
                Optional.ofNullable(tls.getCaCertCredentialName()), tls.getSubjectAltNames(),
                tls.getVerifyCertificateSpki(), tls.getVerifyCertificateHash(),
                Optional.ofNullable(tls.getMinProtocolVersion()).map(Enum::name),
                Optional.ofNullable(tls.getMaxProtocolVersion()).map(Enum::name),
                TlsOptions.cipherSuites(tls, reporter, ref, path),
                tls.getTlsCertificates().stream()
                        .filter(c -> c.getServerCertificate() != null && c.getPrivateKey() != null)
                        .map(c -> new TlsCertificate(c.getServerCertificate(), c.getPrivateKey(),
                                Optional.ofNullable(c.getCaCertificates())))
                        .toList(),
                Optional.ofNullable(tls.getCaCrl())));
    }
}
