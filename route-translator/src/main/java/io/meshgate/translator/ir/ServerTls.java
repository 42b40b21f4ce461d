package io.meshgate.translator.ir;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/** Gateway server TLS settings, as written ({@code ServerTLSSettings}). */
public record ServerTls(String mode, boolean httpsRedirect, Optional<String> credentialName,
        List<String> credentialNames, Optional<String> serverCertificate, Optional<String> privateKey,
        Optional<String> caCertificates, List<String> subjectAltNames, Optional<String> minProtocolVersion,
        Optional<String> maxProtocolVersion, List<String> cipherSuites) {
    public ServerTls {
        requireNonNull(mode, "mode");
        requireNonNull(credentialName, "credentialName");
        credentialNames = List.copyOf(credentialNames);
        requireNonNull(serverCertificate, "serverCertificate");
        requireNonNull(privateKey, "privateKey");
        requireNonNull(caCertificates, "caCertificates");
        subjectAltNames = List.copyOf(subjectAltNames);
        requireNonNull(minProtocolVersion, "minProtocolVersion");
        requireNonNull(maxProtocolVersion, "maxProtocolVersion");
        cipherSuites = List.copyOf(cipherSuites);
    }
}
