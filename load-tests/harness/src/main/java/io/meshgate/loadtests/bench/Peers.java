package io.meshgate.loadtests.bench;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Starts the backend and the peers of a run, each pinned to its CPUs, from configs written into the work directory
 * with the run's ports: nginx as the backend, nginx and HAProxy as reverse proxies, the plain Spring Cloud Gateway
 * module, and the gateway itself. The two JVMs run with the same flags.
 */
public final class Peers {

    /** Same heap and collector for both JVMs; SerialGC is what the JVM picks on one CPU anyway. */
    public static final List<String> JVM_OPTIONS = List.of("-Xms512m", "-Xmx512m", "-XX:+UseSerialGC");
    private static final Duration JVM_READY = Duration.ofSeconds(180);

    private final Layout layout;
    private final Ports ports;
    private final CpuLayout cpus;
    private final Launcher launcher;

    public Peers(Layout layout, Ports ports, CpuLayout cpus, Launcher launcher) {
        this.layout = requireNonNull(layout, "layout");
        this.ports = requireNonNull(ports, "ports");
        this.cpus = requireNonNull(cpus, "cpus");
        this.launcher = requireNonNull(launcher, "launcher");
    }

    /** The backend nginx (main port and the two canary ports), on the backend's CPUs. */
    public Started startBackend() throws IOException {
        Path prefix = Files.createDirectories(layout.work().resolve("nginx-backend"));
        Path conf = write("backend-nginx.conf", prefix.resolve("nginx.conf"));
        return ready(launcher.start("backend", cpus.backend(), nginx(conf, prefix)), url(ports.backend()), null,
                Duration.ofSeconds(15));
    }

    public Started startNginx() throws IOException, InterruptedException {
        certificate();
        Path prefix = Files.createDirectories(layout.work().resolve("nginx-proxy"));
        Path conf = write("proxy-nginx.conf", prefix.resolve("nginx.conf"));
        return ready(launcher.start("nginx", cpus.proxy(), nginx(conf, prefix)), url(ports.nginx()), null,
                Duration.ofSeconds(15));
    }

    public Started startHaproxy() throws IOException, InterruptedException {
        certificate();
        Path conf = write("haproxy.cfg", layout.work().resolve("haproxy.cfg"));
        String haproxy = Tool.find("haproxy").map(Path::toString).orElse("haproxy");
        return ready(launcher.start("haproxy", cpus.proxy(), List.of(haproxy, "-db", "-f", conf.toString())),
                url(ports.haproxy()), null, Duration.ofSeconds(15));
    }

    /** The plain Spring Cloud Gateway on its port: its one static route, or {@code hosts} × 10 rules. */
    public Started startPlainScg(String name, int port, Optional<Integer> hosts) throws IOException {
        Path jar = layout.plainScgJar().orElseThrow(() -> new IllegalStateException(
                "load-tests/plain-scg/target/plain-scg.jar is missing: ./mvnw -DskipTests package"));
        List<String> command = jvm(name);
        command.addAll(List.of("-jar", jar.toString(), "--server.port=" + port, "--backend.port=" + ports.backend()));
        hosts.ifPresent(h -> command.addAll(List.of("--spring.profiles.active=many-routes", "--routes.hosts=" + h,
                "--routes.rules=10")));
        String probeHost = hosts.map(h -> "svc-0000.bench.local").orElse(null);
        String probePath = hosts.map(h -> "/r0/ready").orElse("/");
        return ready(launcher.start(name, cpus.proxy(), command), url(port) + probePath.substring(1), probeHost,
                JVM_READY);
    }

    /**
     * The gateway on its ports (Gateway port 80 and 443 mapped to the run's ports) watching the work directory's
     * config, which must already hold a config that routes {@code probeHost} to the backend.
     */
    public Started startGateway(String name, int port, int tlsPort, int managementPort, String probeHost)
            throws IOException {
        Path jar = layout.gatewayJar().orElseThrow(() -> new IllegalStateException(
                "the gateway is not built: ./mvnw -DskipTests package"));
        List<String> command = jvm(name);
        layout.gatewayArchive().ifPresent(archive -> command.add("-XX:SharedArchiveFile=" + archive));
        command.addAll(List.of("-jar", jar.toString(), "--gateway.config-dir=" + layout.gatewayConfig(),
                "--gateway.port-map=80:" + port + ",443:" + tlsPort, "--gateway.bind-address=127.0.0.1",
                "--management.server.port=" + managementPort, "--management.server.address=127.0.0.1"));
        return ready(launcher.start(name, cpus.proxy(), command), url(port), probeHost, JVM_READY);
    }

    /** Writes the self-signed ECDSA P-256 certificate every TLS listener of the run serves, once. */
    public void certificate() throws IOException, InterruptedException {
        Path dir = Files.createDirectories(layout.tls());
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        if (Files.exists(cert) && Files.exists(key)) {
            return;
        }
        int exit = Tool.run("", List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:P-256", "-nodes", "-days", "30", "-subj", "/CN=localhost", "-addext",
                "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", key.toString(), "-out", cert.toString()),
                dir.resolve("openssl.log"), 30);
        if (exit != 0) {
            throw new IOException("openssl could not write a certificate; see " + dir.resolve("openssl.log"));
        }
        Files.writeString(dir.resolve("haproxy.pem"), Files.readString(cert) + Files.readString(key));
    }

    public String url(int port) {
        return "http://127.0.0.1:" + port + "/";
    }

    /** Requests the backend's canary server of {@code version} has logged so far (a line each). */
    public long canaryRequests(int version) throws IOException {
        Path log = layout.work().resolve("canary-v" + version + ".log");
        if (!Files.exists(log)) {
            return 0;
        }
        long lines = 0;
        for (byte b : Files.readAllBytes(log)) {
            if (b == '\n') {
                lines++;
            }
        }
        return lines;
    }

    private List<String> jvm(String name) {
        List<String> command = new ArrayList<>(List.of(layout.java()));
        command.addAll(JVM_OPTIONS);
        command.add("-Xlog:gc:file=" + layout.work().resolve("logs/" + name + "-gc.log") + ":uptime");
        return command;
    }

    private List<String> nginx(Path conf, Path prefix) {
        String nginx = Tool.find("nginx").map(Path::toString).orElse("nginx");
        return List.of(nginx, "-c", conf.toString(), "-p", prefix + "/", "-e", prefix.resolve("error.log").toString());
    }

    private Started ready(Started started, String url, @Nullable String host, Duration timeout) {
        if (Http.awaitOk(url, host, timeout, started.process()) < 0) {
            launcher.stop(started);
            throw new IllegalStateException(started.name() + " did not answer 200 on " + url + " within "
                    + timeout.toSeconds() + " s; see " + started.log());
        }
        return started;
    }

    private Path write(String template, Path to) throws IOException {
        String text;
        try (InputStream in = Peers.class.getResourceAsStream(template)) {
            text = new String(requireNonNull(in, template).readAllBytes(), StandardCharsets.UTF_8);
        }
        Map<String, Integer> values = Map.of("backend", ports.backend(), "v1", ports.canary(1), "v2",
                ports.canary(2), "nginx", ports.nginx(), "nginx_tls", ports.nginxTls(), "haproxy", ports.haproxy(),
                "haproxy_tls", ports.haproxyTls());
        for (Map.Entry<String, Integer> value : values.entrySet()) {
            text = text.replace("{{" + value.getKey() + "}}", value.getValue().toString());
        }
        Files.writeString(to, text.replace("{{work}}", layout.work().toString()));
        return to;
    }
}
