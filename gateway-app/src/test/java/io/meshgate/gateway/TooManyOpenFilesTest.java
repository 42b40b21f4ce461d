package io.meshgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * {@code Too many open files} while the config directory is listed keeps the configuration serving: no empty
 * configuration is applied, the listener stays open and a connection opened before is still served after. The
 * gateway runs in a process of its own whose open-file limit the test lowers below every descriptor it holds (with
 * {@code prlimit}), as a flood of client connections exhausts it; lowering the test's own limit would also break
 * the loading of classes that are first used meanwhile, for the rest of the test run.
 */
class TooManyOpenFilesTest {

    @TempDir
    Path root;

    @Test
    void tooManyOpenFilesWhileListingKeepsServing() throws Exception {
        Path config = Files.createDirectories(root.resolve("config"));
        Path log = root.resolve("gateway.log");
        try (TestBackend backend = new TestBackend("shop-v1")) {
            GatewayHarness.write(config, "gateway.yaml", GatewayHarness.gatewayOn80("*.mystore.com"));
            GatewayHarness.write(config, "shop.yaml", GatewayHarness.serviceEntry("shop-v1",
                    Map.of("v1", backend.port())));
            GatewayHarness.write(config, "route.yaml", GatewayHarness.shopRouteTo("shop-v1"));
            int port = freePort();
            int management = freePort();
            Process gateway = start(config, log, port, management);
            ConnectionProvider one = ConnectionProvider.create("one-connection", 1);
            try {
                await().atMost(Duration.ofSeconds(90)).ignoreExceptions()
                        .until(() -> actuator(management).contains("\"generation\":1,"));
                Set<SocketAddress> connections = ConcurrentHashMap.newKeySet();
                HttpClient client = HttpClient.create(one).baseUrl("http://127.0.0.1:" + port)
                        .headers(h -> h.set("Host", "api.mystore.com"))
                        .doOnRequest((request, connection) -> connections.add(connection.channel().localAddress()))
                        .responseTimeout(Duration.ofSeconds(10));
                assertThat(status(client)).isEqualTo(200);

                String hard = limits(gateway.pid()).get(1);
                String soft = limits(gateway.pid()).get(0);
                prlimit(gateway.pid(), "3:" + hard);
                try {
                    await().atMost(Duration.ofSeconds(10))
                            .until(() -> Files.readString(log).contains("Too many open files"));
                } finally {
                    prlimit(gateway.pid(), soft + ":" + hard);
                }

                await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                        .until(() -> actuator(management).contains("\"condition\":\"CURRENT\""));
                assertThat(actuator(management)).contains("\"generation\":1,");
                for (int i = 0; i < 20; i++) {
                    assertThat(status(client)).isEqualTo(200);
                }
                assertThat(connections).as("the connection opened before is still the one served").hasSize(1);
                assertThat(HttpClient.create().get()
                        .uri("http://127.0.0.1:" + management + "/actuator/prometheus")
                        .responseContent().aggregate().asString().block(Duration.ofSeconds(10)))
                        .containsPattern("meshgate_config_reload_failures_total\\{reason=\"directory_unlistable\""
                                + "[^}]*} 1\\.0");
            } finally {
                one.disposeLater().block(Duration.ofSeconds(10));
                gateway.destroy();
                if (!gateway.waitFor(30, TimeUnit.SECONDS)) {
                    gateway.destroyForcibly();
                }
            }
        }
    }

    private static Process start(Path config, Path log, int port, int management) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                GatewayApplication.class.getName(), "--gateway.config-dir=" + config,
                "--gateway.port-map=80:" + port, "--gateway.bind-address=127.0.0.1",
                "--management.server.port=" + management, "--gateway.poll-interval=100ms",
                "--gateway.config-watch.file-settle-time=200ms")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static int status(HttpClient client) {
        return client.get().uri("/").responseSingle((response, body) -> body.then(
                reactor.core.publisher.Mono.just(response.status().code()))).block(Duration.ofSeconds(10));
    }

    private static String actuator(int management) {
        return HttpClient.create().get().uri("http://127.0.0.1:" + management + "/actuator/gatewayconfig")
                .responseContent().aggregate().asString().block(Duration.ofSeconds(5));
    }

    /** The soft and hard open-file limits of a process. */
    private static List<String> limits(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/limits"))) {
            if (line.startsWith("Max open files")) {
                String[] fields = line.substring("Max open files".length()).trim().split("\\s+");
                return List.of(fields[0], fields[1]);
            }
        }
        throw new IllegalStateException("no open-file limit for " + pid);
    }

    private static void prlimit(long pid, String limits) throws IOException, InterruptedException {
        Process prlimit = new ProcessBuilder("prlimit", "--pid", String.valueOf(pid), "--nofile=" + limits)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(prlimit.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(prlimit.exitValue()).as("prlimit " + limits).isZero();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        }
    }
}
