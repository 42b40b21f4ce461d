package io.meshgate.gateway.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * A certificate chain and its private key, read from PEM as Kubernetes TLS secrets and cert-manager write them:
 * certificates in {@code CERTIFICATE} blocks, the key in PKCS#8 ({@code PRIVATE KEY}), PKCS#1
 * ({@code RSA PRIVATE KEY}) or SEC 1 ({@code EC PRIVATE KEY}) form. RSA and ECDSA keys both work.
 *
 * @param chain the leaf certificate first
 */
public record PemCredential(List<X509Certificate> chain, PrivateKey key) {

    public PemCredential {
        chain = List.copyOf(chain);
    }

    /**
     * Reads and checks a credential: the chain must hold at least one certificate and the key must belong to the
     * first one.
     *
     * @throws InvalidCredentialException with what is wrong, in words a user can act on
     */
    public static PemCredential parse(byte[] certificatePem, byte[] keyPem) {
        List<X509Certificate> chain = certificates(certificatePem, "certificate");
        if (chain.isEmpty()) {
            throw new InvalidCredentialException("the certificate file holds no PEM CERTIFICATE block");
        }
        PrivateKey key = privateKey(keyPem);
        if (!matches(chain.get(0), key)) {
            throw new InvalidCredentialException("the private key does not belong to the certificate "
                    + chain.get(0).getSubjectX500Principal().getName());
        }
        return new PemCredential(chain, key);
    }

    /** Reads the certificates of a PEM bundle, such as a {@code ca.crt}. */
    public static List<X509Certificate> certificates(byte[] pem, String what) {
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            return factory.generateCertificates(new ByteArrayInputStream(pem)).stream()
                    .map(X509Certificate.class::cast)
                    .toList();
        } catch (CertificateException e) {
            throw new InvalidCredentialException("the " + what + " file is not PEM X.509: " + e.getMessage());
        }
    }

    /**
     * Reads certificate revocation lists (PEM {@code X509 CRL} blocks or DER).
     *
     * @throws InvalidCredentialException when the file holds no CRL or a broken one
     */
    public static List<X509CRL> crls(byte[] bytes, String what) {
        try {
            List<X509CRL> crls = CertificateFactory.getInstance("X.509").generateCRLs(new ByteArrayInputStream(bytes))
                    .stream().map(X509CRL.class::cast).toList();
            if (crls.isEmpty()) {
                throw new InvalidCredentialException("the " + what + " file holds no certificate revocation list");
            }
            return crls;
        } catch (java.security.cert.CRLException | CertificateException e) {
            throw new InvalidCredentialException("the " + what + " file is not an X.509 CRL: " + e.getMessage());
        }
    }

    /** When the leaf certificate stops being valid. */
    public Instant notAfter() {
        return chain.get(0).getNotAfter().toInstant();
    }

    private static PrivateKey privateKey(byte[] pem) {
        try (PEMParser parser = new PEMParser(new StringReader(new String(pem, StandardCharsets.US_ASCII)))) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                if (object instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (object instanceof PEMKeyPair pair) {
                    // a SEC 1 key may leave out its public part: only the private part is needed
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new InvalidCredentialException("the private key file is not a readable PEM key: " + e.getMessage());
        }
        throw new InvalidCredentialException(
                "the private key file holds no unencrypted PEM private key (PRIVATE KEY, RSA or EC PRIVATE KEY)");
    }

    /** Whether {@code key} signs what the certificate's public key verifies. */
    private static boolean matches(X509Certificate certificate, PrivateKey key) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (algorithm == null || !key.getAlgorithm().equals(certificate.getPublicKey().getAlgorithm())
                && !(key.getAlgorithm().startsWith("EC") && certificate.getPublicKey().getAlgorithm().startsWith("EC"))) {
            return false;
        }
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
