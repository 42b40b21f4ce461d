package io.meshgate.translator.ir;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * Istio's {@code ClientTLSSettings}: how the gateway connects to the backend.
 *
 * @param caCrl a file of certificate revocation lists that the backend's certificate is checked against
 */
public record ClientTls(String mode, Optional<String> clientCertificate, Optional<String> privateKey,
        Optional<String> caCertificates, Optional<String> credentialName, List<String> subjectAltNames,
        Optional<String> sni, boolean insecureSkipVerify, Optional<String> caCrl) {
    public ClientTls {
        requireNonNull(mode, "mode");
        requireNonNull(clientCertificate, "clientCertificate");
        requireNonNull(privateKey, "privateKey");
        requireNonNull(caCertificates, "caCertificates");
        requireNonNull(credentialName, "credentialName");
        subjectAltNames = List.copyOf(subjectAltNames);
        requireNonNull(sni, "sni");
        requireNonNull(caCrl, "caCrl");
    }
}
