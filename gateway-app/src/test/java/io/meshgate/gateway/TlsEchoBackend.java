package io.meshgate.gateway;

import io.meshgate.gateway.TestCertificates.Issued;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import javax.net.ssl.SSLException;
import reactor.netty.DisposableServer;
import reactor.netty.tcp.TcpServer;

/**
 * A TLS backend on 127.0.0.1 that terminates TLS with its own certificate and echoes every byte it receives, with
 * backpressure: what TLS passthrough tests connect to through the gateway.
 */
final class TlsEchoBackend implements AutoCloseable {

    private final DisposableServer server;

    TlsEchoBackend(Issued certificate) {
        SslContext context;
        try {
            context = SslContextBuilder.forServer(certificate.keys().getPrivate(), certificate.certificate()).build();
        } catch (SSLException e) {
            throw new IllegalStateException(e);
        }
        this.server = TcpServer.create().host("127.0.0.1").port(0)
                .secure(spec -> spec.sslContext(context))
                .handle((in, out) -> out.send(in.receive().retain()))
                .bindNow();
    }

    int port() {
        return server.port();
    }

    /** A ServiceEntry {@code <name>.internal} with this backend as its one endpoint, on service port 443. */
    String serviceEntry(String name) {
        return serviceEntry(name, port());
    }

    static String serviceEntry(String name, int port) {
        return """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: %1$s, namespace: default}
                spec:
                  hosts: [%1$s.internal]
                  ports: [{number: 443, name: tls, protocol: TLS}]
                  resolution: STATIC
                  endpoints:
                  - {address: 127.0.0.1, ports: {tls: %2$d}}
                """.formatted(name, port);
    }

    @Override
    public void close() {
        server.disposeNow();
    }
}
