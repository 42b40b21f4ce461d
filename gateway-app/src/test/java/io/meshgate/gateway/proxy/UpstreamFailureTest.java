package io.meshgate.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** Which proxy errors are upstream failures, and of what kind. */
class UpstreamFailureTest {

    @Test
    void connectFailureWinsOverTheIoExceptionItAlsoIs() {
        assertThat(UpstreamFailure.of(new IOException("wrapped", new ConnectException("Connection refused"))))
                .contains(UpstreamFailure.CONNECT_FAILURE);
    }

    @Test
    void resetAndTimeoutAreRecognisedAnywhereInTheCauses() {
        assertThat(UpstreamFailure.of(new RuntimeException(new IOException("Connection reset by peer"))))
                .contains(UpstreamFailure.RESET);
        assertThat(UpstreamFailure.of(new TimeoutException("per try"))).contains(UpstreamFailure.TIMEOUT);
    }

    @Test
    void otherErrorsAreNotUpstreamFailures() {
        assertThat(UpstreamFailure.of(new IllegalStateException("bug"))).isEmpty();
    }

    @Test
    void answersAsEnvoy() {
        assertThat(UpstreamFailure.CONNECT_FAILURE.status()).isEqualTo(503);
        assertThat(UpstreamFailure.CONNECT_FAILURE.flag()).isEqualTo("UF");
        assertThat(UpstreamFailure.RESET.flag()).isEqualTo("UC");
        assertThat(UpstreamFailure.TIMEOUT.status()).isEqualTo(504);
        assertThat(UpstreamFailure.TIMEOUT.body()).isEqualTo("upstream request timeout");
    }
}
