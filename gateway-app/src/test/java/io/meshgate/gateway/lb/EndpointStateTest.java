package io.meshgate.gateway.lb;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgate.translator.ir.OutlierDetection;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Outlier detection's counts and ejection lengths for one endpoint, on a clock the test moves. */
class EndpointStateTest {

    private static final long SECOND = 1_000_000_000L;
    private static final OutlierDetection THREE_5XX = new OutlierDetection(3, 0, Duration.ofSeconds(10),
            Duration.ofSeconds(30), 100, 0, "outlierDetection");

    private static boolean fail(EndpointState state, int times, long now) {
        boolean ejected = false;
        for (int i = 0; i < times; i++) {
            ejected |= state.report(503, THREE_5XX, true, now);
        }
        return ejected;
    }

    @Test
    void consecutiveErrorsEjectAndAnyOtherAnswerResetsTheCount() {
        EndpointState state = new EndpointState("127.0.0.1:1");
        assertThat(fail(state, 2, 0)).isFalse();
        state.report(200, THREE_5XX, true, 0);
        assertThat(fail(state, 2, 0)).isFalse();
        assertThat(state.report(0, THREE_5XX, true, 0)).isTrue();
        assertThat(state.isEjected(29 * SECOND)).isTrue();
        assertThat(state.isEjected(30 * SECOND)).isFalse();
    }

    @Test
    void repeatedEjectionsLastLongerAndTheMultiplierShrinksWhileInService() {
        EndpointState state = new EndpointState("127.0.0.1:1");
        fail(state, 3, 0);
        // back at 30 s, failing again at once: twice the base ejection time
        fail(state, 3, 30 * SECOND);
        assertThat(state.ejections()).isEqualTo(2);
        assertThat(state.isEjected(89 * SECOND)).isTrue();
        assertThat(state.isEjected(90 * SECOND)).isFalse();
        // back at 90 s and in service for 2 intervals (20 s): the multiplier drops by 2, then grows by 1
        fail(state, 3, 110 * SECOND);
        assertThat(state.ejections()).isEqualTo(1);
        assertThat(state.isEjected(139 * SECOND)).isTrue();
        assertThat(state.isEjected(140 * SECOND)).isFalse();
    }

    @Test
    void noEjectionWhenTheClusterAllowsNoMore() {
        EndpointState state = new EndpointState("127.0.0.1:1");
        state.report(503, THREE_5XX, false, 0);
        state.report(503, THREE_5XX, false, 0);
        assertThat(state.report(503, THREE_5XX, false, 0)).isFalse();
        assertThat(state.isEjected(1)).isFalse();
    }

    @Test
    void warmthGrowsFromATenthToFullOverTheWarmupAndStartingEndpointsAreWarm() {
        EndpointState starting = new EndpointState("127.0.0.1:1");
        EndpointState joining = new EndpointState("127.0.0.1:2");
        joining.joined(100 * SECOND);
        long warmup = 60 * SECOND;

        assertThat(starting.warmth(warmup, 100 * SECOND)).isEqualTo(1.0);
        assertThat(joining.warmth(warmup, 100 * SECOND)).isEqualTo(0.1);
        assertThat(joining.warmth(warmup, 130 * SECOND)).isEqualTo(0.5);
        assertThat(joining.warmth(warmup, 160 * SECOND)).isEqualTo(1.0);
        assertThat(joining.warmth(0, 100 * SECOND)).isEqualTo(1.0);
    }
}
