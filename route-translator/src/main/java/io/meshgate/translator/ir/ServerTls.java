package io.meshgate.translator.ir;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * Gateway server TLS settings, as written ({@code ServerTLSSettings}).
 *
 * @param caCertCredentialName a credential holding only the CA certificates of client certificates
 * @param verifyCertificateSpki base64 SHA-256 hashes of the client certificate's public key, one of which must match
 * @param verifyCertificateHash hex SHA-256 hashes of the client certificate, one of which must match
 * @param tlsCertificates certificates given by file, offered side by side (an RSA and an ECDSA one)
 * @param caCrl a file of certificate revocation lists that client certificates are checked against
 */
public record ServerTls(String mode, boolean httpsRedirect, Optional<String> credentialName,
        List<String> credentialNames, Optional<String> serverCertificate, Optional<String> privateKey,
        Optional<String> caCertificates, Optional<String> caCertCredentialName, List<String> subjectAltNames,
        List<String> verifyCertificateSpki, List<String> verifyCertificateHash, Optional<String> minProtocolVersion,
        Optional<String> maxProtocolVersion, List<String> cipherSuites, List<TlsCertificate> tlsCertificates,
        Optional<String> caCrl) {
    public ServerTls {
        requireNonNull(mode, "mode");
        requireNonNull(credentialName, "credentialName");
        credentialNames = List.copyOf(credentialNames);
        requireNonNull(serverCertificate, "serverCertificate");
        requireNonNull(privateKey, "privateKey");
        requireNonNull(caCertificates, "caCertificates");
        requireNonNull(caCertCredentialName, "caCertCredentialName");
        subjectAltNames = List.copyOf(subjectAltNames);
        verifyCertificateSpki = List.copyOf(verifyCertificateSpki);
        verifyCertificateHash = List.copyOf(verifyCertificateHash);
        requireNonNull(minProtocolVersion, "minProtocolVersion");
        requireNonNull(maxProtocolVersion, "maxProtocolVersion");
        cipherSuites = List.copyOf(cipherSuites);
        tlsCertificates = List.copyOf(tlsCertificates);
        requireNonNull(caCrl, "caCrl");
    }
}
