package io.meshgate.gateway.lb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshgate.translator.ir.LoadBalancer;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpCookie;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

/** The request hash for each of Istio's hash keys, and no hash when the value is absent. */
class HashKeyTest {

    @Test
    void hashesTheHeaderValue() {
        HashKey key = HashKey.of(settings("httpHeaderName", "x-user"));

        assertThat(key.compute(request(MockServerHttpRequest.get("/").header("X-User", "alice"))))
                .hasValue(XxHash64.hash("alice"));
    }

    @Test
    void hashesSeveralHeaderValuesWhateverTheirOrder() {
        HashKey key = HashKey.of(settings("httpHeaderName", "x-user"));

        OptionalLong ab = key.compute(request(MockServerHttpRequest.get("/").header("x-user", "a", "b")));
        OptionalLong ba = key.compute(request(MockServerHttpRequest.get("/").header("x-user", "b", "a")));

        assertThat(ab).hasValue(XxHash64.hash("b", XxHash64.hash("a"))).isEqualTo(ba);
    }

    @Test
    void hasNoKeyWithoutTheHeader() {
        HashKey key = HashKey.of(settings("httpHeaderName", "x-user"));

        assertThat(key.compute(request(MockServerHttpRequest.get("/").header("x-other", "alice")))).isEmpty();
    }

    @Test
    void hashesTheCookieValue() {
        HashKey key = HashKey.of(settings("httpCookie", "session"));

        assertThat(key.compute(request(MockServerHttpRequest.get("/").cookie(new HttpCookie("session", "abc123"),
                new HttpCookie("other", "x"))))).hasValue(XxHash64.hash("abc123"));
    }

    @Test
    void hasNoKeyWithoutTheCookieOrWithAnEmptyOne() {
        HashKey key = HashKey.of(settings("httpCookie", "session"));

        assertThat(key.compute(request(MockServerHttpRequest.get("/").cookie(new HttpCookie("other", "x")))))
                .isEmpty();
        assertThat(key.compute(request(MockServerHttpRequest.get("/").cookie(new HttpCookie("session", "")))))
                .isEmpty();
    }

    @Test
    void hashesTheFirstQueryParameterValue() {
        HashKey key = HashKey.of(settings("httpQueryParameterName", "user"));

        assertThat(key.compute(request(MockServerHttpRequest.get("/cart?user=bob&user=eve&page=2"))))
                .hasValue(XxHash64.hash("bob"));
        assertThat(key.compute(request(MockServerHttpRequest.get("/cart?user&page=2"))))
                .hasValue(XxHash64.hash(""));
    }

    @Test
    void hasNoKeyWithoutTheQueryParameter() {
        HashKey key = HashKey.of(settings("httpQueryParameterName", "user"));

        assertThat(key.compute(request(MockServerHttpRequest.get("/cart?page=2")))).isEmpty();
        assertThat(key.compute(request(MockServerHttpRequest.get("/cart")))).isEmpty();
    }

    @Test
    void hashesTheSourceIpWithoutThePort() {
        HashKey key = HashKey.of(settings("useSourceIp", ""));

        OptionalLong first = key.compute(request(MockServerHttpRequest.get("/")
                .remoteAddress(new InetSocketAddress("192.0.2.7", 51234))));
        OptionalLong second = key.compute(request(MockServerHttpRequest.get("/")
                .remoteAddress(new InetSocketAddress("192.0.2.7", 40000))));

        assertThat(first).hasValue(XxHash64.hash("192.0.2.7")).isEqualTo(second);
    }

    @Test
    void hasNoKeyWithoutASourceAddress() {
        HashKey key = HashKey.of(settings("useSourceIp", ""));

        assertThat(key.compute(request(MockServerHttpRequest.get("/")))).isEmpty();
    }

    @Test
    void rejectsAnUnknownKey() {
        assertThatThrownBy(() -> HashKey.of(settings("httpPath", "")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static HashRequest request(MockServerHttpRequest.BaseBuilder<?> builder) {
        return new ServerHashRequest(builder.build());
    }

    private static LoadBalancer.ConsistentHash settings(String key, String name) {
        return new LoadBalancer.ConsistentHash(key, name, Optional.empty(), Optional.empty(), "ringHash", 1024);
    }
}
