package io.meshgate.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

class UpstreamHeadersTest {

    private static List<Map.Entry<String, String>> upstream(MockServerHttpRequest.BaseBuilder<?> request, int attempt) {
        MockServerWebExchange exchange = MockServerWebExchange.from(
                request.remoteAddress(new InetSocketAddress("192.0.2.10", 40000)));
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        UpstreamHeaders.forEach(exchange, attempt, (name, value) -> headers.add(Map.entry(name, value)));
        return headers;
    }

    private static List<String> names(List<Map.Entry<String, String>> headers) {
        return headers.stream().map(h -> h.getKey().toLowerCase()).toList();
    }

    @Test
    void dropsHopByHopHeadersAndTheOnesConnectionNames() {
        var headers = upstream(MockServerHttpRequest.get("http://shop.example.com/cart")
                .header("Host", "shop.example.com")
                .header("Connection", "keep-alive, x-session-hint")
                .header("Keep-Alive", "timeout=5")
                .header("Proxy-Connection", "keep-alive")
                .header("Proxy-Authorization", "Basic Zm9vOmJhcg==")
                .header("Upgrade", "h2c")
                .header("Trailer", "x-checksum")
                .header("X-Session-Hint", "abc")
                .header("Accept", "text/html"), 0);

        assertThat(names(headers)).containsExactly("host", "accept", "x-forwarded-for", "x-forwarded-proto",
                "x-request-id");
        assertThat(headers.get(0).getValue()).isEqualTo("shop.example.com");
    }

    @Test
    void keepsTeTrailersForGrpcAndDropsOtherTeValues() {
        assertThat(names(upstream(MockServerHttpRequest.post("http://a/").header("TE", "trailers"), 0)))
                .contains("te");
        assertThat(names(upstream(MockServerHttpRequest.post("http://a/").header("TE", "gzip"), 0)))
                .doesNotContain("te");
    }

    @Test
    void keepsTrailersFromATeListAndDropsNettysHttp2Headers() {
        var headers = upstream(MockServerHttpRequest.post("http://a/")
                .header("TE", "trailers, deflate")
                .header("x-http2-stream-id", "3")
                .header("x-http2-scheme", "http"), 0);

        assertThat(headers).contains(Map.entry("TE", "trailers"));
        assertThat(names(headers)).noneMatch(name -> name.startsWith("x-http2-"));
    }

    @Test
    void aChunkedRequestLosesItsContentLength() {
        var headers = upstream(MockServerHttpRequest.post("http://a/")
                .header("Transfer-Encoding", "chunked").header("Content-Length", "10"), 0);

        assertThat(names(headers)).doesNotContain("content-length", "transfer-encoding");
        assertThat(names(upstream(MockServerHttpRequest.post("http://a/").header("Content-Length", "10"), 0)))
                .contains("content-length");
    }

    @Test
    void appendsTheClientToForwardedForAndSetsTheScheme() {
        var headers = upstream(MockServerHttpRequest.get("https://a/")
                .header("X-Forwarded-For", "203.0.113.7")
                .header("X-Forwarded-Proto", "http"), 0);

        assertThat(headers).contains(Map.entry("x-forwarded-for", "203.0.113.7,192.0.2.10"),
                Map.entry("x-forwarded-proto", "https"));
        assertThat(names(headers).stream().filter(n -> n.startsWith("x-forwarded"))).hasSize(2);
    }

    @Test
    void keepsTheRequestIdOrGeneratesOneThatStaysTheSameForEveryTry() {
        var kept = upstream(MockServerHttpRequest.get("http://a/").header("X-Request-Id", "abc"), 0);
        assertThat(kept).contains(Map.entry("X-Request-Id", "abc"));
        assertThat(names(kept).stream().filter("x-request-id"::equals)).hasSize(1);

        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("http://a/"));
        List<String> ids = new ArrayList<>();
        for (int attempt = 1; attempt <= 2; attempt++) {
            UpstreamHeaders.forEach(exchange, attempt, (name, value) -> {
                if (name.equals(UpstreamHeaders.REQUEST_ID)) {
                    ids.add(value);
                }
            });
        }
        assertThat(ids).hasSize(2).allMatch(id -> id.matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab].*"));
        assertThat(ids.get(0)).isEqualTo(ids.get(1));
    }

    @Test
    void numbersTheTryAndReplacesAnAttemptCountTheClientSent() {
        var headers = upstream(MockServerHttpRequest.get("http://a/").header("x-envoy-attempt-count", "7"), 2);

        assertThat(headers.stream().filter(h -> h.getKey().equalsIgnoreCase("x-envoy-attempt-count")))
                .containsExactly(Map.entry("x-envoy-attempt-count", "2"));
        assertThat(names(upstream(MockServerHttpRequest.get("http://a/"), 0))).doesNotContain("x-envoy-attempt-count");
    }

    @Test
    void responseHopByHopHeadersAreTheProtocolOnes() {
        assertThat(UpstreamHeaders.isHopByHop("transfer-encoding")).isTrue();
        assertThat(UpstreamHeaders.isHopByHop("connection")).isTrue();
        assertThat(UpstreamHeaders.isHopByHop("x-forwarded-for")).isFalse();
        assertThat(UpstreamHeaders.isHopByHop("content-type")).isFalse();
    }
}
