package io.meshgate.gateway.tls;

import io.meshgate.translator.ir.ServerTls;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertStore;
import java.security.cert.CertificateException;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.X509CRL;
import java.security.cert.X509CertSelector;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import javax.net.ssl.CertPathTrustManagerParameters;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Verifies the certificate of the other side as Envoy does: the chain must lead to one of the CAs (or to the JDK's
 * trusted roots for an upstream without {@code caCertificates}), and when they are listed, the leaf must carry one
 * of the {@code subjectAltNames} (DNS, URI, IP or e-mail, exactly), have one of the {@code verifyCertificateSpki}
 * public key hashes (base64 SHA-256 of the SubjectPublicKeyInfo) and one of the {@code verifyCertificateHash}
 * certificate hashes (hex SHA-256 of the DER, colons allowed). Host names are not checked otherwise: Envoy matches
 * an upstream's certificate to {@code subjectAltNames} only. With revocation lists ({@code caCrl}) every certificate
 * of the chain below the trust anchor must be covered by a list of its issuer and not be on it, as Envoy requires
 * of a CRL-checking validation context; nothing is fetched from the network.
 */
public final class PeerCertificateVerifier extends X509ExtendedTrustManager {

    /** Which side's certificates this verifier accepts. */
    private enum Peer { CLIENT, SERVER }

    private final Peer peer;

    private final X509ExtendedTrustManager pkix;
    private final Set<String> subjectAltNames;
    private final Set<String> spki;
    private final Set<String> hashes;

    private PeerCertificateVerifier(Peer peer, X509ExtendedTrustManager pkix, List<String> subjectAltNames,
            List<String> spki, List<String> hashes) {
        this.peer = peer;
        this.pkix = pkix;
        this.subjectAltNames = Set.copyOf(subjectAltNames);
        this.spki = Set.copyOf(spki);
        this.hashes = hashes.stream()
                .map(hash -> hash.replace(":", "").toLowerCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
    }

    /** Whether the server asks for more than a chain to its CAs. */
    static boolean needed(ServerTls tls) {
        return !tls.subjectAltNames().isEmpty() || !tls.verifyCertificateSpki().isEmpty()
                || !tls.verifyCertificateHash().isEmpty();
    }

    /** Verifies the client certificates of a Gateway server. */
    static PeerCertificateVerifier forClients(List<X509Certificate> cas, List<X509CRL> crls, ServerTls tls) {
        return new PeerCertificateVerifier(Peer.CLIENT, pkix(cas, crls), tls.subjectAltNames(),
                tls.verifyCertificateSpki(),
                tls.verifyCertificateHash());
    }

    /**
     * Verifies an upstream's certificate.
     *
     * @param cas the CAs; empty for the JDK's trusted roots
     * @param crls revocation lists to check the chain against; empty for none
     */
    public static PeerCertificateVerifier forServers(List<X509Certificate> cas, List<X509CRL> crls,
            List<String> subjectAltNames) {
        return new PeerCertificateVerifier(Peer.SERVER, pkix(cas, crls), subjectAltNames, List.of(), List.of());
    }

    private static X509ExtendedTrustManager pkix(List<X509Certificate> cas, List<X509CRL> crls) {
        try {
            KeyStore store = null;
            if (!cas.isEmpty()) {
                store = KeyStore.getInstance(KeyStore.getDefaultType());
                store.load(null, null);
                for (int i = 0; i < cas.size(); i++) {
                    store.setCertificateEntry("ca-" + i, cas.get(i));
                }
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            if (crls.isEmpty()) {
                factory.init(store);
            } else {
                if (store == null) {
                    throw new InvalidCredentialException("caCrl needs the CA certificates it belongs to "
                            + "(caCertificates)");
                }
                PKIXBuilderParameters parameters = new PKIXBuilderParameters(store, new X509CertSelector());
                parameters.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(crls)));
                parameters.setRevocationEnabled(true);
                factory.init(new CertPathTrustManagerParameters(parameters));
            }
            for (var manager : factory.getTrustManagers()) {
                if (manager instanceof X509ExtendedTrustManager x509) {
                    return x509;
                }
            }
            throw new InvalidCredentialException("no X.509 trust manager for the CA certificates");
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new InvalidCredentialException("cannot use the CA certificates: " + e.getMessage());
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        expect(Peer.CLIENT);
        pkix.checkClientTrusted(chain, authType, engine);
        verify(chain[0]);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        expect(Peer.CLIENT);
        pkix.checkClientTrusted(chain, authType, socket);
        verify(chain[0]);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        expect(Peer.CLIENT);
        pkix.checkClientTrusted(chain, authType);
        verify(chain[0]);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    /** The chain and the listed names, not the host name: the engine's endpoint identification is not consulted. */
    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        expect(Peer.SERVER);
        pkix.checkServerTrusted(chain, authType);
        verify(chain[0]);
    }

    private void expect(Peer side) throws CertificateException {
        if (peer != side) {
            throw new CertificateException("this verifier checks " + peer.name().toLowerCase(Locale.ROOT)
                    + " certificates only");
        }
    }

    private void verify(X509Certificate leaf) throws CertificateException {
        if (!subjectAltNames.isEmpty() && !hasSubjectAltName(leaf)) {
            throw new CertificateException(peer.name().toLowerCase(Locale.ROOT) + " certificate "
                    + leaf.getSubjectX500Principal().getName()
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
    public X509Certificate[] getAcceptedIssuers() {
        return pkix.getAcceptedIssuers();
    }
}
