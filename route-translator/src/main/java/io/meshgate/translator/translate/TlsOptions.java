package io.meshgate.translator.translate;

import io.fabric8.istio.api.api.networking.v1alpha3.ServerTLSSettings;
import io.meshgate.translator.diag.Code;
import io.meshgate.translator.ir.SourceRef;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checks Istio's validation makes on a Gateway server's TLS versions and cipher suites, so that nothing the
 * runtime would refuse passes {@code validate}: a {@code minProtocolVersion} above the {@code maxProtocolVersion} is
 * an Error (unless the maximum is {@code TLS_AUTO}); a cipher suite Istio does not know, or one listed twice, is a
 * warning and is left out ("ignoring invalid cipher suites", as Istio filters them before Envoy sees them). The names
 * are Istio's ({@code ValidCipherSuites}: BoringSSL's OpenSSL-style names) and, as Envoy also accepts them, their
 * IANA names.
 */
final class TlsOptions {

    /** Istio's valid cipher suites, each with its IANA name. */
    private static final Map<String, String> CIPHER_SUITES = Map.ofEntries(
            Map.entry("ECDHE-ECDSA-AES128-GCM-SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"),
            Map.entry("ECDHE-RSA-AES128-GCM-SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),
            Map.entry("ECDHE-ECDSA-AES256-GCM-SHA384", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"),
            Map.entry("ECDHE-RSA-AES256-GCM-SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"),
            Map.entry("ECDHE-ECDSA-CHACHA20-POLY1305", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"),
            Map.entry("ECDHE-RSA-CHACHA20-POLY1305", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"),
            Map.entry("ECDHE-ECDSA-AES128-SHA", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"),
            Map.entry("ECDHE-RSA-AES128-SHA", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"),
            Map.entry("ECDHE-ECDSA-AES256-SHA", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA"),
            Map.entry("ECDHE-RSA-AES256-SHA", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA"),
            Map.entry("AES128-GCM-SHA256", "TLS_RSA_WITH_AES_128_GCM_SHA256"),
            Map.entry("AES256-GCM-SHA384", "TLS_RSA_WITH_AES_256_GCM_SHA384"),
            Map.entry("AES128-SHA", "TLS_RSA_WITH_AES_128_CBC_SHA"),
            Map.entry("AES256-SHA", "TLS_RSA_WITH_AES_256_CBC_SHA"),
            Map.entry("DES-CBC3-SHA", "TLS_RSA_WITH_3DES_EDE_CBC_SHA"));
    private static final Set<String> IANA_NAMES = Set.copyOf(CIPHER_SUITES.values());
    private static final List<String> VERSIONS = List.of("TLS_AUTO", "TLSV1_0", "TLSV1_1", "TLSV1_2", "TLSV1_3");

    private TlsOptions() {
    }

    /** Whether the versions leave a range to serve; a minimum above the maximum is reported, as Istio does. */
    static boolean checkVersions(ServerTLSSettings tls, Reporter reporter, SourceRef ref, String path) {
        if (tls.getMinProtocolVersion() == null || tls.getMaxProtocolVersion() == null) {
            return true;
        }
        String min = tls.getMinProtocolVersion().name();
        String max = tls.getMaxProtocolVersion().name();
        if (!max.equals("TLS_AUTO") && VERSIONS.indexOf(min) > VERSIONS.indexOf(max)) {
            reporter.report(Code.SCHEMA_VALIDATION_ERROR, ref, path + ".minProtocolVersion",
                    min + " (expected: at most maxProtocolVersion " + max + ")");
            return false;
        }
        return true;
    }

    /** The cipher suites the server uses: the valid ones, once each, in order; the others are reported. */
    static List<String> cipherSuites(ServerTLSSettings tls, Reporter reporter, SourceRef ref, String path) {
        Set<String> kept = new LinkedHashSet<>();
        List<String> written = tls.getCipherSuites();
        for (int i = 0; i < written.size(); i++) {
            String name = written.get(i);
            if (!CIPHER_SUITES.containsKey(name) && !IANA_NAMES.contains(name)) {
                reporter.report(Code.INEFFECTIVE_FIELD, ref, path + ".cipherSuites[" + i + "]", "\"" + name
                        + "\" is not a valid cipher suite and is ignored (expected: one of Istio's, such as "
                        + "ECDHE-RSA-AES128-GCM-SHA256)");
            } else if (!kept.add(name)) {
                reporter.report(Code.INEFFECTIVE_FIELD, ref, path + ".cipherSuites[" + i + "]", "\"" + name
                        + "\" is listed twice; the second is ignored");
            }
        }
        return new ArrayList<>(kept);
    }
}
