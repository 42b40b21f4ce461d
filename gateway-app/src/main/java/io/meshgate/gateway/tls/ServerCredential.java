package io.meshgate.gateway.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The contents of a server's credential files as read at one moment: its credentials (one, or several of different
 * key types from {@code credentialNames}), the client CAs and their revocation lists, and the bytes they came from, so that a change of any
 * file is seen by comparing contents (a rotation may keep sizes and timestamps).
 */
record ServerCredential(List<CredentialFiles> files, List<PemCredential> credentials,
        List<X509Certificate> clientCas, List<X509CRL> crls, byte[] contents) {

    ServerCredential {
        files = List.copyOf(files);
        credentials = List.copyOf(credentials);
        clientCas = List.copyOf(clientCas);
        crls = List.copyOf(crls);
    }

    /**
     * Reads the files and checks them.
     *
     * @throws InvalidCredentialException when a file is missing, unreadable or wrong, or two credentials have the
     *     same key type
     */
    static ServerCredential read(List<CredentialFiles> all) {
        List<PemCredential> credentials = new ArrayList<>();
        List<X509Certificate> cas = new ArrayList<>();
        List<X509CRL> crls = new ArrayList<>();
        List<byte[]> contents = new ArrayList<>();
        for (CredentialFiles files : all) {
            byte[] certificate = bytes(files.certificate(), files);
            byte[] key = bytes(files.privateKey(), files);
            credentials.add(PemCredential.parse(certificate, key));
            contents.add(certificate);
            contents.add(key);
            if (files.caCertificates().isPresent()) {
                byte[] ca = bytes(files.caCertificates().get(), files);
                cas.addAll(PemCredential.certificates(ca, "CA certificates"));
                contents.add(ca);
            }
            if (files.caCrl().isPresent()) {
                byte[] crl = bytes(files.caCrl().get(), files);
                crls.addAll(PemCredential.crls(crl, "CA CRL"));
                contents.add(crl);
            }
        }
        long keyTypes = credentials.stream().map(c -> c.key().getAlgorithm()).distinct().count();
        if (keyTypes < credentials.size()) {
            throw new InvalidCredentialException("credentialNames must name credentials of different key types "
                    + "(one RSA, one ECDSA)");
        }
        return new ServerCredential(all, credentials, cas, crls, concat(contents));
    }

    /** The credentials' names, as the actuator and metrics show them. */
    String name() {
        return files.stream().map(CredentialFiles::name).collect(Collectors.joining("+"));
    }

    /** When the first of its certificates expires. */
    Instant notAfter() {
        return credentials.stream().map(PemCredential::notAfter).min(Comparator.naturalOrder()).orElseThrow();
    }

    String subjects() {
        return credentials.stream().map(c -> c.chain().get(0).getSubjectX500Principal().getName()
                + " (" + c.key().getAlgorithm() + ")").collect(Collectors.joining(", "));
    }

    /** Whether the files still hold what this was read from. */
    boolean unchanged() {
        try {
            List<byte[]> now = new ArrayList<>();
            for (CredentialFiles file : files) {
                for (Path path : file.paths()) {
                    now.add(Files.readAllBytes(path));
                }
            }
            return Arrays.equals(contents, concat(now));
        } catch (IOException e) {
            // a file being replaced: looked at again on the next check
            return true;
        }
    }

    private static byte[] bytes(Path path, CredentialFiles files) {
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new InvalidCredentialException("cannot read " + path + " of credential " + files.name() + ": "
                    + e.getClass().getSimpleName() + " " + e.getMessage());
        }
    }

    private static byte[] concat(List<byte[]> parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length + 1;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length + 1;
        }
        return all;
    }
}
