package io.meshgate.gateway;

import io.meshgate.gateway.TestCertificates.Issued;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.function.IntSupplier;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * A TLS client for the gateway's TLS tests: raw JDK sockets to one port that trust the test CA, with the SNI name,
 * client certificate, ALPN protocols, protocol version and cipher suite each test needs, and one HTTP/1.1 request
 * at a time on a connection, so that tests see every handshake and can reuse a connection across a rotation.
 */
final class TlsClient {

    private final IntSupplier port;
    private final Issued ca;

    TlsClient(IntSupplier port, Issued ca) {
        this.port = port;
        this.ca = ca;
    }

    /** A TLS connection that trusts the test CA, with the given SNI name (none if null). */
    SSLSocket handshake(String serverName, Issued clientCertificate, List<String> alpn) throws Exception {
        return handshake(serverName, clientCertificate, alpn, null);
    }

    /** The same, limited to TLS 1.2 and one cipher suite when {@code tls12Suite} is given. */
    SSLSocket handshake(String serverName, Issued clientCertificate, List<String> alpn, String tls12Suite)
            throws Exception {
        return handshake(serverName, clientCertificate, alpn, tls12Suite, null);
    }

    /** The same, limited to one protocol version when {@code protocol} is given. */
    SSLSocket handshake(String serverName, Issued clientCertificate, List<String> alpn, String tls12Suite,
            String protocol) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca.certificate());
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        KeyManagerFactory keyManagers = null;
        if (clientCertificate != null) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("client", clientCertificate.keys().getPrivate(), new char[0],
                    new X509Certificate[] {clientCertificate.certificate()});
            keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, new char[0]);
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers == null ? null : keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port.getAsInt());
        socket.setSoTimeout(5000);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setServerNames(serverName == null ? List.of() : List.of(new SNIHostName(serverName)));
        if (!alpn.isEmpty()) {
            parameters.setApplicationProtocols(alpn.toArray(String[]::new));
        }
        if (tls12Suite != null) {
            parameters.setProtocols(new String[] {"TLSv1.2"});
            parameters.setCipherSuites(new String[] {tls12Suite});
        }
        if (protocol != null) {
            parameters.setProtocols(new String[] {protocol});
        }
        socket.setSSLParameters(parameters);
        try {
            socket.startHandshake();
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        return socket;
    }

    static X509Certificate peer(SSLSocket socket) throws Exception {
        return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    }

    static String subject(SSLSocket socket) throws Exception {
        return peer(socket).getSubjectX500Principal().getName();
    }

    record Response(int status, String text) {
    }

    /** One HTTP/1.1 request on the connection, keeping it open; the response is read to its Content-Length. */
    static Response get(SSLSocket socket, String host, String path) throws IOException {
        socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return read(socket.getInputStream());
    }

    /** One HTTP/1.1 response off a connection, read to its Content-Length; its head lower-cased, then its body. */
    static Response read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed before a response");
            }
            head.write(b);
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String headers = head.toString(StandardCharsets.US_ASCII);
        int length = 0;
        for (String line : headers.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).strip());
            }
        }
        byte[] body = in.readNBytes(length);
        int status = Integer.parseInt(headers.substring(9, 12));
        return new Response(status, headers.toLowerCase() + new String(body, StandardCharsets.UTF_8));
    }
}
