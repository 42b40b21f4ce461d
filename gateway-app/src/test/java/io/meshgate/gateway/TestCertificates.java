package io.meshgate.gateway;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Real certificates for tests, made with BouncyCastle: a CA and the server and client certificates it signs. */
final class TestCertificates {

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    /** A key pair and its certificate. */
    record Issued(KeyPair keys, X509Certificate certificate) {

        String certificatePem() {
            return pem(certificate);
        }

        /** RSA keys in PKCS#1 ({@code RSA PRIVATE KEY}), EC keys in PKCS#8 ({@code PRIVATE KEY}): both forms are read. */
        String keyPem() {
            if (keys.getPrivate().getAlgorithm().equals("RSA")) {
                return pem(keys.getPrivate());
            }
            try {
                return pem(new JcaPKCS8Generator(keys.getPrivate(), null).generate());
            } catch (org.bouncycastle.util.io.pem.PemGenerationException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Writes {@code tls.crt}, {@code tls.key} and, if given, {@code ca.crt} as a Kubernetes TLS secret holds them. */
        void writeSecret(Path dir, Issued ca) {
            try {
                Files.createDirectories(dir);
                write(dir, "tls.crt", certificatePem());
                write(dir, "tls.key", keyPem());
                if (ca != null) {
                    write(dir, "ca.crt", ca.certificatePem());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The key algorithm of an issued certificate. */
    enum Algorithm { RSA, EC }

    private TestCertificates() {
    }

    static Issued ca(String name) {
        KeyPair keys = keys(Algorithm.EC);
        return new Issued(keys, sign(name, keys, null, true, new String[0], Duration.ofDays(30)));
    }

    static Issued issue(Issued ca, String commonName, Algorithm algorithm, String... dnsNames) {
        return issue(ca, commonName, algorithm, Duration.ofDays(30), dnsNames);
    }

    static Issued issue(Issued ca, String commonName, Algorithm algorithm, Duration validity, String... dnsNames) {
        KeyPair keys = keys(algorithm);
        return new Issued(keys, sign(commonName, keys, ca, false, dnsNames, validity));
    }

    private static KeyPair keys(Algorithm algorithm) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm.name());
            if (algorithm == Algorithm.EC) {
                generator.initialize(new ECGenParameterSpec("secp256r1"));
            } else {
                generator.initialize(2048);
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate sign(String commonName, KeyPair keys, Issued issuer, boolean isCa,
            String[] dnsNames, Duration validity) {
        try {
            Instant now = Instant.now();
            X500Name subject = new X500Name("CN=" + commonName);
            X500Name issuerName = issuer == null ? subject
                    : new X500Name(issuer.certificate().getSubjectX500Principal().getName());
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuerName,
                    BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(now.minusSeconds(60)),
                    Date.from(now.plus(validity)), subject, keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
            if (isCa) {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            }
            if (dnsNames.length > 0) {
                GeneralName[] names = new GeneralName[dnsNames.length];
                for (int i = 0; i < dnsNames.length; i++) {
                    names[i] = dnsNames[i].contains("://")
                            ? new GeneralName(GeneralName.uniformResourceIdentifier, dnsNames[i])
                            : new GeneralName(GeneralName.dNSName, dnsNames[i]);
                }
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            }
            KeyPair signer = issuer == null ? keys : issuer.keys();
            String algorithm = signer.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
            return new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder(algorithm).build(signer.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException("cannot sign a test certificate", e);
        }
    }

    /** A certificate revocation list of {@code ca}, valid for a day, revoking the given certificates. */
    static String crl(Issued ca, Issued... revoked) {
        try {
            Instant now = Instant.now();
            X509v2CRLBuilder builder = new X509v2CRLBuilder(
                    new X500Name(ca.certificate().getSubjectX500Principal().getName()), Date.from(now.minusSeconds(60)));
            builder.setNextUpdate(Date.from(now.plus(Duration.ofDays(1))));
            for (Issued certificate : revoked) {
                builder.addCRLEntry(certificate.certificate().getSerialNumber(), Date.from(now.minusSeconds(30)),
                        CRLReason.keyCompromise);
            }
            String algorithm = ca.keys().getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA"
                    : "SHA256withECDSA";
            return pem(new JcaX509CRLConverter().getCRL(builder.build(new JcaContentSignerBuilder(algorithm)
                    .build(ca.keys().getPrivate()))));
        } catch (Exception e) {
            throw new IllegalStateException("cannot sign a test CRL", e);
        }
    }

    static String pem(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Replaces a file in one step, as a rotation by cert-manager or a Secret update does. */
    static void write(Path dir, String name, String content) throws IOException {
        Path tmp = dir.resolve("." + name + ".tmp");
        Files.writeString(tmp, content);
        Files.move(tmp, dir.resolve(name), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
