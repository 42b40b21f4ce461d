package io.meshgate.loadtests.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;

class ChartsTest {

    @Test
    void barChartIsWellFormedSvgWithEveryLabelAndValue() {
        String svg = BarChart.render("Requests <per> second", "req/s", List.of("direct", "gateway"), List.of(
                new BarChart.Series("first", List.of(62_190.0, Double.NaN)),
                new BarChart.Series("last", List.of(60_000.0, 16_199.0))));

        assertWellFormed(svg);
        assertThat(svg).contains("Requests &lt;per&gt; second", ">direct<", ">gateway<", ">62,190<", ">16,199<");
    }

    @Test
    void lineChartIsWellFormedSvgWithAPolylinePerSeries() {
        String svg = LineChart.render("RSS", "seconds", "MiB", List.of(
                new LineChart.Line("rss", List.of(new double[] {0, 300}, new double[] {60, 310})),
                new LineChart.Line("empty", List.of())), List.of(new LineChart.Marker(30, "kill")));

        assertWellFormed(svg);
        assertThat(svg.split("<polyline", -1)).hasSize(3);
        assertThat(svg).contains(">kill<");
    }

    private static void assertWellFormed(String svg) {
        assertThatCode(() -> DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)))).doesNotThrowAnyException();
    }
}
