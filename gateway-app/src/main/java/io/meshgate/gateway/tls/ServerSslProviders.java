package io.meshgate.gateway.tls;

import io.meshgate.translator.ir.ServerTls;
import io.netty.handler.ssl.CipherSuiteConverter;
import io.netty.handler.ssl.ClientAuth;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import reactor.netty.http.Http2SslContextSpec;
import reactor.netty.tcp.SslProvider;

/**
 * The TLS side of one Gateway server: its certificate, client authentication by mode, protocol versions and
 * cipher suites as Istio's {@code ServerTLSSettings} give them, and ALPN offering {@code h2} and {@code http/1.1}.
 */
final class ServerSslProviders {

    /** Istio's gateway default: TLS 1.2 at least, up to 1.3. */
    private static final List<String> VERSIONS = List.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");

    private ServerSslProviders() {
    }

    /**
     * Builds the provider of a terminating server.
     *
     * @throws InvalidCredentialException when the settings cannot be served (a MUTUAL server without CA, an
     *     unknown protocol version or cipher suite)
     */
    static SslProvider of(ServerTls tls, ServerCredential credential) {
        ClientAuth clientAuth = switch (tls.mode()) {
            case "SIMPLE" -> ClientAuth.NONE;
            case "MUTUAL" -> ClientAuth.REQUIRE;
            case "OPTIONAL_MUTUAL" -> ClientAuth.OPTIONAL;
            default -> throw new InvalidCredentialException("TLS mode " + tls.mode() + " does not terminate here");
        };
        List<X509Certificate> cas = credential.clientCas();
        if (clientAuth != ClientAuth.NONE && cas.isEmpty()) {
            throw new InvalidCredentialException(tls.mode() + " needs client CA certificates (caCertificates, or "
                    + "ca.crt beside the credential, or a <name>-cacert credential)");
        }
        String[] protocols = protocols(tls.minProtocolVersion(), tls.maxProtocolVersion());
        List<String> ciphers = ciphers(tls.cipherSuites());
        Http2SslContextSpec spec = credential.credentials().size() == 1
                ? Http2SslContextSpec.forServer(credential.credentials().get(0).key(),
                        credential.credentials().get(0).chain())
                : Http2SslContextSpec.forServer(keyManagers(credential.credentials()));
        boolean several = credential.credentials().size() > 1;
        spec = spec
                .configure(builder -> {
                    builder.clientAuth(clientAuth).protocols(protocols);
                    if (several) {
                        // BoringSSL through netty-tcnative does not pick among a key manager's RSA and ECDSA keys
                        // by the cipher suite; the JDK's TLS does
                        builder.sslProvider(io.netty.handler.ssl.SslProvider.JDK);
                    }
                    if (!cas.isEmpty() && (PeerCertificateVerifier.needed(tls) || !credential.crls().isEmpty())) {
                        builder.trustManager(PeerCertificateVerifier.forClients(cas, credential.crls(), tls));
                    } else if (!cas.isEmpty()) {
                        builder.trustManager(cas);
                    }
                    if (!ciphers.isEmpty()) {
                        builder.ciphers(ciphers);
                    }
                });
        return SslProvider.builder().sslContext(spec).build();
    }

    /**
     * The key managers of a server with several credentials: each handshake gets the one whose key type the client
     * accepts (ECDSA to a client that offers ECDSA signatures, RSA otherwise).
     */
    private static javax.net.ssl.KeyManagerFactory keyManagers(List<PemCredential> credentials) {
        try {
            java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < credentials.size(); i++) {
                PemCredential credential = credentials.get(i);
                store.setKeyEntry("credential-" + i, credential.key(), new char[0],
                        credential.chain().toArray(X509Certificate[]::new));
            }
            javax.net.ssl.KeyManagerFactory factory = javax.net.ssl.KeyManagerFactory.getInstance("SunX509");
            factory.init(store, new char[0]);
            return factory;
        } catch (java.security.GeneralSecurityException | java.io.IOException e) {
            throw new InvalidCredentialException("cannot combine the credentials: " + e.getMessage());
        }
    }

    /** Istio's {@code TLS_AUTO}, {@code TLSV1_0} ... {@code TLSV1_3} as JSSE protocol names, from min to max. */
    static String[] protocols(Optional<String> min, Optional<String> max) {
        int from = min.map(ServerSslProviders::index).orElse(2);
        int to = max.map(ServerSslProviders::index).orElse(3);
        if (from > to) {
            throw new InvalidCredentialException("minProtocolVersion " + min.orElse("") + " is above maxProtocolVersion "
                    + max.orElse(""));
        }
        return VERSIONS.subList(from, to + 1).toArray(String[]::new);
    }

    private static int index(String istio) {
        return switch (istio) {
            case "TLSV1_0" -> 0;
            case "TLSV1_1" -> 1;
            case "TLSV1_2", "TLS_AUTO" -> 2;
            case "TLSV1_3" -> 3;
            default -> throw new InvalidCredentialException("unknown TLS protocol version " + istio);
        };
    }

    /**
     * Istio writes cipher suites as OpenSSL names ({@code ECDHE-RSA-AES128-GCM-SHA256}); JSSE wants IANA names. As in
     * Envoy, the list governs TLS 1.2 and below; TLS 1.3 keeps its own suites.
     */
    private static List<String> ciphers(List<String> names) {
        if (names.isEmpty()) {
            return List.of();
        }
        List<String> java = new ArrayList<>(List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
                "TLS_CHACHA20_POLY1305_SHA256"));
        for (String name : names) {
            String converted = name.startsWith("TLS_") ? name : CipherSuiteConverter.toJava(name, "TLS");
            if (converted == null) {
                throw new InvalidCredentialException("unknown cipher suite " + name);
            }
            java.add(converted);
        }
        return java;
    }
}
