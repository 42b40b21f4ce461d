package io.meshgate.gateway.lb;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgate.translator.ir.LoadBalancer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpCookie;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

/** The cookie generated for {@code httpCookie} with a ttl, and its {@code Set-Cookie} header. */
class CookieAffinityTest {

    private static final InetSocketAddress LOCAL = new InetSocketAddress("10.1.0.1", 443);

    @Test
    void appliesOnlyToACookieKeyWithATtl() {
        assertThat(CookieAffinity.of(settings("httpCookie", Optional.of("/"), Optional.of(Duration.ofHours(1)))))
                .isPresent();
        assertThat(CookieAffinity.of(settings("httpCookie", Optional.of("/"), Optional.empty()))).isEmpty();
        assertThat(CookieAffinity.of(settings("httpHeaderName", Optional.empty(), Optional.of(Duration.ofHours(1)))))
                .isEmpty();
    }

    @Test
    void setsTheCookieWithPathMaxAgeAndHttpOnly() {
        CookieAffinity.Cookie cookie = affinity(Optional.of("/shop"), Duration.ofHours(1))
                .generate(connection(51234));

        assertThat(cookie.value()).matches("[0-9a-f]{16}");
        assertThat(cookie.setCookie()).isEqualTo("session=" + cookie.value() + "; Path=/shop; Max-Age=3600; HttpOnly");
    }

    @Test
    void leavesOutAMissingPath() {
        CookieAffinity.Cookie cookie = affinity(Optional.empty(), Duration.ofSeconds(90)).generate(connection(51234));

        assertThat(cookie.setCookie()).isEqualTo("session=" + cookie.value() + "; Max-Age=90; HttpOnly");
    }

    @Test
    void makesASessionCookieForATtlUnderASecond() {
        CookieAffinity.Cookie zero = affinity(Optional.of("/"), Duration.ZERO).generate(connection(51234));
        CookieAffinity.Cookie fraction = affinity(Optional.of("/"), Duration.ofMillis(1500))
                .generate(connection(51234));

        assertThat(zero.setCookie()).isEqualTo("session=" + zero.value() + "; Path=/; HttpOnly");
        assertThat(fraction.setCookie()).endsWith("; Max-Age=1; HttpOnly");
    }

    @Test
    void theKeyIsTheHashOfTheNextRequestCarryingTheCookie() {
        LoadBalancer.ConsistentHash settings = settings("httpCookie", Optional.of("/"),
                Optional.of(Duration.ofHours(1)));
        CookieAffinity.Cookie cookie = CookieAffinity.of(settings).orElseThrow().generate(connection(51234));

        HashRequest next = new ServerHashRequest(MockServerHttpRequest.get("/")
                .cookie(new HttpCookie("session", cookie.value())).build());

        assertThat(HashKey.of(settings).compute(next)).hasValue(cookie.key());
    }

    @Test
    void requestsOnOneConnectionGetTheSameCookie() {
        CookieAffinity affinity = affinity(Optional.of("/"), Duration.ofHours(1));

        assertThat(affinity.generate(connection(51234))).isEqualTo(affinity.generate(connection(51234)));
        assertThat(affinity.generate(connection(51234)).value())
                .isNotEqualTo(affinity.generate(connection(51235)).value());
    }

    @Test
    void generatesARandomValueWithoutConnectionAddresses() {
        CookieAffinity affinity = affinity(Optional.of("/"), Duration.ofHours(1));
        HashRequest request = new ServerHashRequest(MockServerHttpRequest.get("/").build());

        CookieAffinity.Cookie first = affinity.generate(request);
        CookieAffinity.Cookie second = affinity.generate(request);

        assertThat(first.value()).matches("[0-9a-f]{16}").isNotEqualTo(second.value());
        assertThat(first.key()).isEqualTo(XxHash64.hash(first.value()));
    }

    private static HashRequest connection(int clientPort) {
        return new ServerHashRequest(MockServerHttpRequest.get("/")
                .remoteAddress(new InetSocketAddress("192.0.2.7", clientPort)).localAddress(LOCAL).build());
    }

    private static CookieAffinity affinity(Optional<String> path, Duration ttl) {
        return CookieAffinity.of(settings("httpCookie", path, Optional.of(ttl))).orElseThrow();
    }

    private static LoadBalancer.ConsistentHash settings(String key, Optional<String> path, Optional<Duration> ttl) {
        return new LoadBalancer.ConsistentHash(key, "session", path, ttl, "ringHash", 1024);
    }
}
