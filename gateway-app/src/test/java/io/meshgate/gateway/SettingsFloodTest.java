package io.meshgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that floods SETTINGS frames (each asks for an ACK) and never reads: the gateway does not queue ACKs
 * without bound; it closes the connection (GOAWAY ENHANCE_YOUR_CALM) and what it held goes back.
 */
class SettingsFloodTest {

    /** 18 MB of frames at most, for 20 s at most: far past any buffer on the way. */
    private static final int FRAMES = 2_000_000;

    @TempDir
    static Path config;
    private static TestBackend backend;
    private static GatewayHarness gateway;

    @BeforeAll
    static void start() {
        backend = new TestBackend("echo");
        GatewayHarness.write(config, "routes.yaml", GatewayHarness.everythingTo("echo"));
        GatewayHarness.write(config, "echo.yaml", GatewayHarness.serviceEntry("echo", Map.of("v1", backend.port())));
        gateway = new GatewayHarness(config);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        backend.close();
    }

    @Test
    void aSettingsFloodThatIsNeverReadEndsTheConnection() throws IOException {
        long before = directMemory();
        long peak = before;
        int sent = 0;
        boolean closed = false;
        try (RawH2 client = new RawH2(gateway.port(80), 4096, 65535)) {
            OutputStream out = client.out();
            byte[] batch = new byte[9 * 1000];
            for (int i = 0; i < 1000; i++) {
                System.arraycopy(RawH2.header(RawH2.SETTINGS, 0, 0, 0), 0, batch, i * 9, 9);
            }
            try {
                long deadline = System.nanoTime() + 20_000_000_000L;
                while (sent < FRAMES && System.nanoTime() < deadline) {
                    out.write(batch);
                    sent += 1000;
                    peak = Math.max(peak, directMemory());
                }
            } catch (IOException e) {
                // the gateway closed the connection while the flood went on
                closed = true;
            }
            // the write failed: the gateway closed the connection, without the client ever reading
            System.out.printf("SETTINGS flood: %d frames sent, direct memory peak %d KiB above the start%n", sent,
                    (peak - before) / 1024);
            assertThat(closed).isTrue();
        }
        assertThat(peak - before).isLessThan(8L * 1024 * 1024);
    }

    private static long directMemory() {
        return ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric().usedDirectMemory();
    }
}
