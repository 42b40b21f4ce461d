package io.meshgate.translator.translate;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one translation of a configuration leaves for the next: each VirtualService as compiled (http and tls rules)
 * and its http routes as bound; the Gateway servers they were bound to; and what was known of each destination
 * host, so that a host that did not change is the same {@link HostFacts} object and is checked by one comparison of
 * references. A fresh memory makes a translation from scratch.
 */
final class TranslationMemory {

    private final CompileCache<List<RuleCompiler.CompiledRoute>> http = new CompileCache<>();
    private final CompileCache<List<TlsRuleCompiler.Rule>> tls = new CompileCache<>();
    private final BindingCache bindings = new BindingCache();
    private Map<String, HostFacts> hosts = Map.of();
    private Optional<GatewayServers> servers = Optional.empty();

    CompileCache<List<RuleCompiler.CompiledRoute>> http() {
        return http;
    }

    CompileCache<List<TlsRuleCompiler.Rule>> tls() {
        return tls;
    }

    BindingCache bindings() {
        return bindings;
    }

    Map<String, HostFacts> hosts() {
        return hosts;
    }

    /** Whether {@code now} binds as the Gateway servers of the previous translation. */
    boolean serversUnchanged(GatewayServers now) {
        return servers.map(now::bindsAs).orElse(false);
    }

    void beginTranslation() {
        http.beginTranslation();
        tls.beginTranslation();
        bindings.beginTranslation();
    }

    /** Keeps what the translation that ends now compiled, bound and knew of hosts. */
    void endTranslation(Map<String, HostFacts> knownHosts, GatewayServers boundTo) {
        http.endTranslation();
        tls.endTranslation();
        bindings.endTranslation();
        hosts = knownHosts;
        servers = Optional.of(boundTo);
    }
}
