package io.meshgate.loadtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsFileTest {

    @Test
    void replacesOnlyTheLatestReportBetweenTheMarkers(@TempDir Path loadTests) throws Exception {
        Path results = loadTests.resolve("RESULTS.md");
        Files.writeString(results, "# Results\n\nintro\n\n" + ResultsFile.BEGIN + "\nold figures\n" + ResultsFile.END
                + "\n\n## Earlier runs\n\nkept\n");
        Path dir = Files.createDirectories(loadTests.resolve("results/2026-12-01"));
        Path report = dir.resolve("report.md");
        Files.writeString(report, "# Load tests: 2026-12-01\n\n## Targets\n\n| a | b |\n\n"
                + "![requests per second by target](throughput.svg)\n\n- `runs.tsv`: every run\n");

        assertThat(ResultsFile.update(results, report)).isTrue();

        String text = Files.readString(results);
        assertThat(text).startsWith("# Results\n\nintro\n\n" + ResultsFile.BEGIN + "\n## Load tests: 2026-12-01\n")
                .contains("[results/2026-12-01/report.md](results/2026-12-01/report.md)", "### Targets",
                        "![requests per second by target](results/2026-12-01/throughput.svg)",
                        "`results/2026-12-01/runs.tsv`")
                .doesNotContain("old figures")
                .endsWith(ResultsFile.END + "\n\n## Earlier runs\n\nkept\n");
    }
}
