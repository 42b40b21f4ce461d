package io.meshgate.translator.ir;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * One entry of a Gateway server's {@code tls.tlsCertificates}: a certificate and key given by file, one of several
 * (an RSA and an ECDSA one) the server offers.
 */
public record TlsCertificate(String serverCertificate, String privateKey, Optional<String> caCertificates) {
    public TlsCertificate {
        requireNonNull(serverCertificate, "serverCertificate");
        requireNonNull(privateKey, "privateKey");
        requireNonNull(caCertificates, "caCertificates");
    }
}
