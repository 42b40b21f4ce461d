package io.meshgate.loadtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.meshgate.loadtests.bench.Ports;
import io.meshgate.loadtests.bench.Tool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness end to end, in seconds: the backend and the gateway as the build leaves it, one throughput round
 * against each, and the report with its table, chart and raw data; everything it started stopped afterwards.
 */
class HarnessSmokeTest {

    @Test
    void aThroughputRunOfDirectAndTheGatewayWritesTheReport(@TempDir Path out) throws Exception {
        List<String> missing = Stream.of("wrk", "nginx", "openssl", "taskset")
                .filter(tool -> Tool.find(tool).isEmpty()).toList();
        // CI installs them (.ci/run); elsewhere the test needs them on the PATH
        assertThat(missing.isEmpty() || !"true".equals(System.getenv("CI"))).as("tools missing in CI: " + missing)
                .isTrue();
        assumeTrue(missing.isEmpty(), "not installed: " + missing);
        Path root = Path.of(System.getProperty("meshgate.root", "../..")).toAbsolutePath().normalize();
        Ports ports = Ports.firstFree(28_000);

        Path report = new Harness(Options.parse(List.of("--smoke", "--root", root.toString(), "--out",
                out.toString(), "--port-base", Integer.toString(ports.base()), "--targets", "direct,gateway",
                "throughput")), System.err, false).run();

        String text = Files.readString(report);
        assertThat(text).contains("## 1. Throughput: one route, keep-alive", "(smoke sanity run)");
        for (String target : List.of("direct", "gateway")) {
            String[] row = row(text, target);
            assertThat(Double.parseDouble(row[1].replace(",", ""))).as(target + " req/s").isPositive();
            assertThat(row[5]).as(target + " errors").isEqualTo("0");
        }
        assertThat(Files.readString(out.resolve("throughput.svg"))).startsWith("<svg").contains("gateway");
        assertThat(text).contains("![requests per second by target](throughput.svg)");
        assertThat(Files.readAllLines(out.resolve("runs.tsv"))).hasSize(3);
        assertThat(out.resolve("raw/throughput/one-route-r1-gateway.txt")).content().contains("Requests/sec:");
        assertThat(ports.busy()).as("ports still in use after the run").isEmpty();
    }

    /** The cells of the throughput table's row for a target. */
    private static String[] row(String report, String target) {
        return report.lines().filter(l -> l.startsWith("| " + target + " | ")).findFirst()
                .map(l -> Arrays.stream(l.substring(1, l.length() - 1).split("\\|")).map(String::trim)
                        .toArray(String[]::new))
                .orElseThrow(() -> new AssertionError("no row for " + target + " in\n" + report));
    }
}
