package io.meshgate.loadtests.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class H2loadTest {

    @Test
    void nearestRankPercentiles() {
        double[] sorted = new double[1000];
        for (int i = 0; i < sorted.length; i++) {
            sorted[i] = i + 1;
        }
        assertThat(H2load.percentile(sorted, 50)).isEqualTo(500);
        assertThat(H2load.percentile(sorted, 99)).isEqualTo(990);
        assertThat(H2load.percentile(sorted, 99.9)).isEqualTo(999);
        assertThat(H2load.percentile(new double[] {4}, 99.9)).isEqualTo(4);
        assertThat(H2load.percentile(new double[0], 50)).isNaN();
    }
}
