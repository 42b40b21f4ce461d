package io.meshgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The management port (actuator: config, diagnostics, metrics) listens on loopback only unless told otherwise:
 * 127.0.0.1 answers, another address of the host does not. 127.0.0.2 is a loopback address that a socket bound to
 * every interface accepts on and one bound to 127.0.0.1 does not (Linux routes all of 127/8 to lo).
 */
class ManagementAddressTest {

    @TempDir
    Path config;

    @Test
    void theManagementPortIsBoundToLoopbackOnly() throws IOException {
        GatewayHarness.write(config, "gateway.yaml", GatewayHarness.everythingTo("nowhere"));
        try (GatewayHarness gateway = new GatewayHarness(config)) {
            int port = gateway.managementPort();
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            }
            assertThatThrownBy(() -> {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.2", port), 2000);
                }
            }).isInstanceOf(ConnectException.class);
            assertThat(gateway.prometheus()).contains("meshgate_config_reload_failures_total");
        }
    }
}
