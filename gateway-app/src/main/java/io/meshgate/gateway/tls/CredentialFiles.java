package io.meshgate.gateway.tls;

import io.meshgate.translator.ir.ServerTls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where a Gateway server's TLS material lives. A {@code credentialName} is a directory
 * {@code <config-dir>/credentials/<name>/} laid out as a Kubernetes TLS secret ({@code tls.crt}, {@code tls.key},
 * optionally {@code ca.crt}); as in Istio, the CA of a MUTUAL server may also come from {@code caCertCredentialName}
 * or from a credential named {@code <name>-cacert}. File paths ({@code serverCertificate}, {@code privateKey}, {@code caCertificates}) are
 * taken as written, relative ones against the config directory.
 *
 * A CRL for the CA comes from {@code caCrl} or, for a named credential, from {@code ca.crl} beside its
 * {@code ca.crt}, as Istio reads it from the Secret.
 *
 * @param name the credential's name, or the certificate's path when it is given by file
 */
public record CredentialFiles(String name, Path certificate, Path privateKey, Optional<Path> caCertificates,
        Optional<Path> caCrl) {

    static final String CREDENTIALS_DIR = "credentials";

    /**
     * The files of every credential of a server: one, or each of its {@code credentialNames} or
     * {@code tlsCertificates} (an RSA and an ECDSA certificate side by side).
     *
     * @throws InvalidCredentialException when the settings name no certificate
     */
    public static List<CredentialFiles> allOf(ServerTls tls, Path configDir) {
        if (tls.credentialName().isEmpty() && tls.credentialNames().isEmpty() && !tls.tlsCertificates().isEmpty()) {
            return tls.tlsCertificates().stream()
                    .map(c -> new CredentialFiles(c.serverCertificate(), configDir.resolve(c.serverCertificate()),
                            configDir.resolve(c.privateKey()),
                            c.caCertificates().or(tls::caCertificates).map(configDir::resolve),
                            tls.caCrl().map(configDir::resolve)))
                    .toList();
        }
        if (tls.credentialName().isEmpty() && tls.credentialNames().size() > 1) {
            return tls.credentialNames().stream()
                    .map(name -> of(new ServerTls(tls.mode(), tls.httpsRedirect(), Optional.of(name), List.of(),
                            Optional.empty(), Optional.empty(), tls.caCertificates(), tls.caCertCredentialName(),
                            List.of(), List.of(), List.of(), Optional.empty(), Optional.empty(), List.of(), List.of(),
                            tls.caCrl()),
                            configDir))
                    .toList();
        }
        return List.of(of(tls, configDir));
    }

    /**
     * The files of a server's TLS settings.
     *
     * @throws InvalidCredentialException when the settings name no certificate
     */
    public static CredentialFiles of(ServerTls tls, Path configDir) {
        Optional<String> credential = tls.credentialName().or(() -> tls.credentialNames().stream().findFirst());
        if (credential.isPresent()) {
            Path dir = configDir.resolve(CREDENTIALS_DIR).resolve(credential.get());
            Optional<Path> ca = tls.caCertCredentialName()
                    .map(name -> configDir.resolve(CREDENTIALS_DIR).resolve(name).resolve("ca.crt"))
                    .or(() -> existing(dir.resolve("ca.crt")))
                    .or(() -> existing(configDir.resolve(CREDENTIALS_DIR).resolve(credential.get() + "-cacert")
                            .resolve("ca.crt")));
            Optional<Path> crl = tls.caCrl().map(configDir::resolve)
                    .or(() -> ca.map(path -> path.resolveSibling("ca.crl")).flatMap(CredentialFiles::existing));
            return new CredentialFiles(credential.get(), dir.resolve("tls.crt"), dir.resolve("tls.key"), ca, crl);
        }
        if (tls.serverCertificate().isEmpty() || tls.privateKey().isEmpty()) {
            throw new InvalidCredentialException("none of credentialName, credentialNames, serverCertificate with "
                    + "privateKey, tlsCertificates is set");
        }
        Path certificate = configDir.resolve(tls.serverCertificate().get());
        return new CredentialFiles(certificate.toString(), certificate, configDir.resolve(tls.privateKey().get()),
                tls.caCertificates().map(configDir::resolve).or(() -> tls.caCertCredentialName()
                        .map(name -> configDir.resolve(CREDENTIALS_DIR).resolve(name).resolve("ca.crt"))),
                tls.caCrl().map(configDir::resolve));
    }

    /** A checksum of the files' current contents (a missing file counts as empty), to notice any change. */
    long fingerprint() {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        for (Path path : paths()) {
            crc.update(path.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            try {
                crc.update(Files.readAllBytes(path));
            } catch (java.io.IOException e) {
                crc.update(0);
            }
        }
        return crc.getValue();
    }

    /** Every file of the credential, in a fixed order. */
    List<Path> paths() {
        List<Path> paths = new java.util.ArrayList<>(List.of(certificate, privateKey));
        caCertificates.ifPresent(paths::add);
        caCrl.ifPresent(paths::add);
        return paths;
    }

    private static Optional<Path> existing(Path path) {
        return Files.isRegularFile(path) ? Optional.of(path) : Optional.empty();
    }
}
