package io.meshgate.gateway.forwarding;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;

/**
 * One element of {@code x-forwarded-client-cert} for a verified client certificate, as Envoy writes it with Istio's
 * gateway settings ({@code forward_client_cert_details: SANITIZE_SET}, {@code set_current_client_cert_details}
 * {@code subject}, {@code cert}, {@code uri}, {@code dns}):
 * {@code By=<the gateway's own URI SAN>;Hash=<hex SHA-256 of the DER>;Cert="<URL-encoded PEM>";Subject="<RFC 2253>";
 * URI=<first URI SAN>;DNS=<each DNS SAN>}. {@code By} is left out when the gateway's certificate has no URI SAN;
 * {@code Subject} and {@code URI} are always present, possibly empty, as in Envoy.
 */
final class ClientCertDetails {

    private static final int URI_SAN = 6;
    private static final int DNS_SAN = 2;

    private ClientCertDetails() {
    }

    /** The element for {@code peer}, presented on a connection whose own (gateway) certificate is {@code local}. */
    static String of(X509Certificate peer, Optional<Certificate> local) {
        StringBuilder out = new StringBuilder(2048);
        local.filter(X509Certificate.class::isInstance).map(X509Certificate.class::cast)
                .flatMap(certificate -> sans(certificate, URI_SAN).stream().findFirst())
                .ifPresent(by -> out.append("By=").append(by).append(';'));
        byte[] der = der(peer);
        out.append("Hash=").append(HexFormat.of().formatHex(sha256(der)));
        out.append(";Cert=\"").append(urlEncode(pem(der))).append('"');
        out.append(";Subject=\"").append(quoted(peer.getSubjectX500Principal().getName(X500Principal.RFC2253)))
                .append('"');
        out.append(";URI=").append(sans(peer, URI_SAN).stream().findFirst().orElse(""));
        for (String dns : sans(peer, DNS_SAN)) {
            out.append(";DNS=").append(dns);
        }
        return out.toString();
    }

    private static List<String> sans(X509Certificate certificate, int type) {
        Collection<List<?>> names;
        try {
            names = certificate.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return List.of();
        }
        if (names == null) {
            return List.of();
        }
        return names.stream().filter(name -> name.size() >= 2 && Integer.valueOf(type).equals(name.get(0)))
                .map(name -> String.valueOf(name.get(1))).toList();
    }

    private static byte[] der(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("a verified certificate that cannot be encoded", e);
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(byte[] der) {
        return "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END CERTIFICATE-----\n";
    }

    /** Percent-encodes all but RFC 3986's unreserved characters, as Envoy encodes the PEM. */
    private static String urlEncode(String text) {
        StringBuilder out = new StringBuilder(text.length() * 11 / 10);
        for (byte b : text.getBytes(StandardCharsets.US_ASCII)) {
            char c = (char) b;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xF, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
            }
        }
        return out.toString();
    }

    /** A quoted XFCC value escapes its double quotes and backslashes. */
    private static String quoted(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
