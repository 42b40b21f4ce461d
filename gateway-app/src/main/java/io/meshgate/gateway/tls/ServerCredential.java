package io.meshgate.gateway.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The contents of a server's credential files as read at one moment: the credential itself, the client CAs, and
 * the bytes they came from, so that a change of any file is seen by comparing contents (a rotation may keep sizes
 * and timestamps).
 */
record ServerCredential(CredentialFiles files, PemCredential credential, List<X509Certificate> clientCas,
        byte[] contents) {

    /**
     * Reads the files and checks them.
     *
     * @throws InvalidCredentialException when a file is missing, unreadable or wrong
     */
    static ServerCredential read(CredentialFiles files) {
        byte[] certificate = bytes(files.certificate().toString(), files);
        byte[] key = bytes(files.privateKey().toString(), files);
        Optional<byte[]> ca = files.caCertificates().map(path -> bytes(path.toString(), files));
        PemCredential credential = PemCredential.parse(certificate, key);
        List<X509Certificate> cas = ca.map(pem -> PemCredential.certificates(pem, "CA certificates"))
                .orElse(List.of());
        return new ServerCredential(files, credential, cas, concat(certificate, key, ca.orElse(new byte[0])));
    }

    /** Whether the files still hold what this was read from. */
    boolean unchanged() {
        try {
            byte[] certificate = Files.readAllBytes(files.certificate());
            byte[] key = Files.readAllBytes(files.privateKey());
            byte[] ca = files.caCertificates().isPresent() ? Files.readAllBytes(files.caCertificates().get())
                    : new byte[0];
            return Arrays.equals(contents, concat(certificate, key, ca));
        } catch (IOException e) {
            // a file being replaced: looked at again on the next check
            return true;
        }
    }

    private static byte[] bytes(String path, CredentialFiles files) {
        try {
            return Files.readAllBytes(java.nio.file.Path.of(path));
        } catch (IOException e) {
            throw new InvalidCredentialException("cannot read " + path + " of credential " + files.name() + ": "
                    + e.getClass().getSimpleName() + " " + e.getMessage());
        }
    }

    private static byte[] concat(byte[]... parts) {
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
