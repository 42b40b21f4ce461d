package io.meshgate.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The backend's keep-alive timeout, as its {@code Keep-Alive} response header says it. */
class PooledConnectionsTest {

    @Test
    void theTimeoutIsReadFromTheHeaderWhereverItStands() {
        assertThat(PooledConnections.timeoutSeconds("timeout=5, max=1000")).isEqualTo(5);
        assertThat(PooledConnections.timeoutSeconds("max=10,Timeout = 7")).isEqualTo(7);
    }

    @Test
    void aHeaderWithoutAUsableTimeoutGivesNone() {
        assertThat(PooledConnections.timeoutSeconds("max=10")).isEqualTo(-1);
        assertThat(PooledConnections.timeoutSeconds("timeout=soon")).isEqualTo(-1);
    }
}
