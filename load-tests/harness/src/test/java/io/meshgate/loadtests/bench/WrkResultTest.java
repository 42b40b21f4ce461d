package io.meshgate.loadtests.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WrkResultTest {

    @Test
    void readsRateLatencyAndErrorsAsWrkPrintsThem() {
        WrkResult result = WrkResult.parse("""
                Running 10s test @ http://127.0.0.1:18040/
                  1 threads and 50 connections
                  Thread Stats   Avg      Stdev     Max   +/- Stdev
                    Latency     3.08ms    1.53ms  45.12ms   89.12%
                    Req/Sec    16.45k     1.02k   18.01k    71.00%
                  Latency Distribution
                     50%  780.00us
                     75%    3.51ms
                     90%    4.55ms
                     99%    1.02s
                  163717 requests in 10.01s, 34.66MB read
                  Socket errors: connect 0, read 2, write 0, timeout 3
                  Non-2xx or 3xx responses: 7
                Requests/sec:  16356.60
                Transfer/sec:      3.46MB
                """);

        assertThat(result.ok()).isTrue();
        assertThat(result.rps()).isEqualTo(16356.60);
        assertThat(result.p50()).isEqualTo(0.78);
        assertThat(result.p99()).isEqualTo(1020.0);
        assertThat(result.requests()).isEqualTo(163717);
        assertThat(result.errors()).isEqualTo(12);
    }

    @Test
    void noResultWhenWrkPrintedNone() {
        assertThat(WrkResult.parse("unable to connect to 127.0.0.1:18040 Connection refused").ok()).isFalse();
    }
}
