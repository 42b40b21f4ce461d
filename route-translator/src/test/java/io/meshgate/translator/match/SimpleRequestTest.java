package io.meshgate.translator.match;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SimpleRequestTest {

    @Test
    void parsesMethodUrlAndHeaders() {
        SimpleRequest request = SimpleRequest.parse("POST http://api.mystore.com:8080/orders?x=1",
                Map.of("X-Env", "prod"));
        assertThat(request).isEqualTo(new SimpleRequest(8080, "api.mystore.com:8080", "POST", "http", "/orders",
                "x=1", Map.of("x-env", "prod")));
        assertThat(request.header("x-env")).isEqualTo("prod");
        assertThat(request.header("X-Env")).isNull();
    }

    @Test
    void defaultsMethodPathAndPort() {
        assertThat(SimpleRequest.parse("http://a.com")).isEqualTo(
                new SimpleRequest(80, "a.com", "GET", "http", "/", "", Map.of()));
        assertThat(SimpleRequest.parse("GET HTTPS://a.com?q#frag")).isEqualTo(
                new SimpleRequest(443, "a.com", "GET", "https", "/", "q", Map.of()));
    }

    @Test
    void ipv6Authority() {
        SimpleRequest request = SimpleRequest.parse("GET http://[::1]:9090/x");
        assertThat(request.port()).isEqualTo(9090);
        assertThat(request.authority()).isEqualTo("[::1]:9090");
    }

    @Test
    void headerNamesDifferingInCaseAreJoined() {
        SimpleRequest request = SimpleRequest.parse("http://a.com/", Map.of("X-A", "1", "x-a", "2"));
        assertThat(request.header("x-a")).isIn("1,2", "2,1");
    }

    @Test
    void rejectsWhatIsNotAUrl() {
        assertThatIllegalArgumentException().isThrownBy(() -> SimpleRequest.parse("GET /orders"));
        assertThatIllegalArgumentException().isThrownBy(() -> SimpleRequest.parse("GET ftp://a.com/"));
        assertThatIllegalArgumentException().isThrownBy(() -> SimpleRequest.parse("GET http://a.com:x/"));
    }
}
