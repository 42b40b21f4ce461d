package io.meshgate.gateway.tls;

import io.meshgate.translator.ir.ServerTls;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Verifies client certificates as Envoy does for a Gateway server: the chain must lead to one of the CAs, and when
 * the server lists them, the leaf must carry one of the {@code subjectAltNames} (DNS, URI, IP or e-mail, exactly),
 * have one of the {@code verifyCertificateSpki} public key hashes (base64 SHA-256 of the SubjectPublicKeyInfo) and
 * one of the {@code verifyCertificateHash} certificate hashes (hex SHA-256 of the DER, colons allowed).
 */
final class ClientCertificateVerifier extends X509ExtendedTrustManager {

    private final X509ExtendedTrustManager pkix;
    private final Set<String> subjectAltNames;
    private final Set<String> spki;
    private final Set<String> hashes;

    private ClientCertificateVerifier(X509ExtendedTrustManager pkix, ServerTls tls) {
        this.pkix = pkix;
        this.subjectAltNames = Set.copyOf(tls.subjectAltNames());
        this.spki = Set.copyOf(tls.verifyCertificateSpki());
        this.hashes = tls.verifyCertificateHash().stream()
                .map(hash -> hash.replace(":", "").toLowerCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
    }

    /** Whether the server asks for more than a chain to its CAs. */
    static boolean needed(ServerTls tls) {
        return !tls.subjectAltNames().isEmpty() || !tls.verifyCertificateSpki().isEmpty()
                || !tls.verifyCertificateHash().isEmpty();
    }

    static ClientCertificateVerifier of(List<X509Certificate> cas, ServerTls tls) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            for (int i = 0; i < cas.size(); i++) {
                store.setCertificateEntry("ca-" + i, cas.get(i));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(store);
            for (var manager : factory.getTrustManagers()) {
                if (manager instanceof X509ExtendedTrustManager x509) {
                    return new ClientCertificateVerifier(x509, tls);
                }
            }
            throw new InvalidCredentialException("no X.509 trust manager for the client CAs");
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new InvalidCredentialException("cannot use the client CA certificates: " + e.getMessage());
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        pkix.checkClientTrusted(chain, authType, engine);
        verify(chain[0]);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        pkix.checkClientTrusted(chain, authType, socket);
        verify(chain[0]);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        pkix.checkClientTrusted(chain, authType);
        verify(chain[0]);
    }

    private void verify(X509Certificate leaf) throws CertificateException {
        if (!subjectAltNames.isEmpty() && !hasSubjectAltName(leaf)) {
            throw new CertificateException("client certificate " + leaf.getSubjectX500Principal().getName()
                    + " has none of the subject alternative names " + subjectAltNames);
        }
        if (!spki.isEmpty() && !spki.contains(Base64.getEncoder().encodeToString(sha256(leaf.getPublicKey()
                .getEncoded())))) {
            throw new CertificateException("client certificate public key matches no verifyCertificateSpki");
        }
        if (!hashes.isEmpty() && !hashes.contains(HexFormat.of().formatHex(sha256(leaf.getEncoded())))) {
            throw new CertificateException("client certificate matches no verifyCertificateHash");
        }
    }

    private boolean hasSubjectAltName(X509Certificate leaf) throws CertificateParsingException {
        var names = leaf.getSubjectAlternativeNames();
        if (names == null) {
            return false;
        }
        for (List<?> name : names) {
            if (name.size() > 1 && name.get(1) instanceof String value && subjectAltNames.contains(value)) {
                return true;
            }
        }
        return false;
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        throw new CertificateException("a server's client verifier checks no server certificates");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        throw new CertificateException("a server's client verifier checks no server certificates");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a server's client verifier checks no server certificates");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return pkix.getAcceptedIssuers();
    }
}
