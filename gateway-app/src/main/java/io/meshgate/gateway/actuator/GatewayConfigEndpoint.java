package io.meshgate.gateway.actuator;

import io.meshgate.gateway.lb.Balancers;
import io.meshgate.gateway.runner.ConfigRunner;
import io.meshgate.gateway.runner.DirectoryStatus;
import io.meshgate.gateway.tls.TlsListeners;
import io.meshgate.gateway.runner.LiveConfig;
import io.meshgate.translator.diag.Diagnostic;
import io.meshgate.translator.ir.SourceRef;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * {@code /actuator/gatewayconfig}: the live config version, when it was applied, its diagnostics, the resources
 * whose latest version was rejected and that serve their last good one ({@code rejected}), the config directory's
 * condition ({@code source}: current, settling, or held because it is empty, missing or unlistable), the state of
 * its TLS credentials, and the endpoints outlier detection has ejected ({@code ejected}, by cluster).
 */
@Endpoint(id = "gatewayconfig")
public final class GatewayConfigEndpoint {

    private final ConfigRunner runner;
    private final TlsListeners tls;
    private final Balancers balancers;

    public GatewayConfigEndpoint(ConfigRunner runner, TlsListeners tls, Balancers balancers) {
        this.runner = runner;
        this.tls = tls;
        this.balancers = balancers;
    }

    @ReadOperation
    public Map<String, Object> config() {
        LiveConfig config = runner.current();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("version", config.snapshot().version());
        out.put("generation", config.generation());
        out.put("appliedAt", config.appliedAt().toString());
        out.put("listeners", config.snapshot().listeners().stream()
                .map(l -> Map.of("name", l.name(), "port", l.port(), "protocol", l.protocol(),
                        "hosts", l.virtualHosts().stream().map(v -> v.domains().get(0)).toList()))
                .toList());
        out.put("clusters", config.snapshot().clusters().size());
        out.put("errors", config.diagnostics().stream().filter(Diagnostic::isError).count());
        out.put("diagnostics", diagnostics(config.diagnostics()));
        out.put("rejected", runner.rejected().stream().map(SourceRef::display).toList());
        runner.directoryStatus().ifPresent(s -> out.put("source", source(s)));
        out.put("tls", tls.status().stream().map(s -> {
            Map<String, String> credential = new LinkedHashMap<>();
            credential.put("server", s.server());
            credential.put("credential", s.credential());
            s.notAfter().ifPresent(t -> credential.put("notAfter", t.toString()));
            s.error().ifPresent(e -> credential.put("error", e));
            return credential;
        }).toList());
        out.put("ejected", balancers.ejected());
        return out;
    }

    /** The config directory's condition: whether what serves is what it holds, and if not, why. */
    private static Map<String, Object> source(DirectoryStatus status) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("condition", status.condition().name());
        out.put("since", status.since().toString());
        out.put("detail", status.detail());
        out.put("pending", status.pending());
        out.put("unsettled", status.unsettled());
        status.appliesAt().ifPresent(t -> out.put("appliesAt", t.toString()));
        return out;
    }

    private static List<Map<String, String>> diagnostics(List<Diagnostic> diagnostics) {
        return diagnostics.stream().map(d -> {
            Map<String, String> out = new LinkedHashMap<>();
            out.put("code", d.code().id());
            out.put("level", d.level().label());
            out.put("resource", d.resource().display());
            out.put("field", d.fieldPath());
            out.put("message", d.message());
            d.location().ifPresent(l -> out.put("location", l.toString()));
            out.put("text", d.format());
            return out;
        }).toList();
    }
}
