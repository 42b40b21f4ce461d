package io.meshgate.gateway.ratelimit;

import static io.meshgate.gateway.ratelimit.Rules.selector;
import static io.meshgate.translator.ir.RateLimitSelector.Attribute.HEADER;
import static io.meshgate.translator.ir.RateLimitSelector.Attribute.METHOD;
import static io.meshgate.translator.ir.RateLimitSelector.Attribute.PATH;
import static io.meshgate.translator.ir.RateLimitSelector.Attribute.SOURCE_CIDR;
import static io.meshgate.translator.ir.RateLimitSelector.MatchType.DISTINCT;
import static io.meshgate.translator.ir.RateLimitSelector.MatchType.EXACT;
import static io.meshgate.translator.ir.RateLimitSelector.MatchType.PREFIX;
import static io.meshgate.translator.ir.RateLimitSelector.MatchType.REGULAR_EXPRESSION;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshgate.translator.ir.RateLimitSelector;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

/** Which requests a rule's selectors pick, and the bucket key they give. */
class ClientSelectorsTest {

    @Test
    void noSelectorsPickEveryRequestIntoOneBucket() {
        ClientSelectors selectors = ClientSelectors.of(List.of());

        assertThat(selectors.distinct()).isFalse();
        assertThat(selectors.key(get("/anything").build())).isEqualTo("");
    }

    @Test
    void headerExactRegexAndInvert() {
        ClientSelectors exact = ClientSelectors.of(List.of(selector(HEADER, EXACT, "x-tier", "free")));
        ClientSelectors regex = ClientSelectors.of(List.of(selector(HEADER, REGULAR_EXPRESSION, "x-tier", "fr.*")));
        ClientSelectors inverted = ClientSelectors.of(List.of(
                new RateLimitSelector(HEADER, EXACT, "x-tier", List.of("paid"), true)));

        assertThat(exact.key(get("/").header("X-Tier", "free").build())).isEqualTo("");
        assertThat(exact.key(get("/").header("X-Tier", "paid").build())).isNull();
        assertThat(exact.key(get("/").build())).isNull();
        assertThat(regex.key(get("/").header("x-tier", "freemium").build())).isEqualTo("");
        assertThat(regex.key(get("/").header("x-tier", "unfree").build())).as("a full match").isNull();
        assertThat(inverted.key(get("/").header("x-tier", "free").build())).isEqualTo("");
        assertThat(inverted.key(get("/").build())).as("absent header, inverted").isEqualTo("");
        assertThat(inverted.key(get("/").header("x-tier", "paid").build())).isNull();
    }

    @Test
    void distinctValuesGetTheirOwnKeysAndAnAbsentHeaderSelectsNothing() {
        ClientSelectors selectors = ClientSelectors.of(List.of(selector(HEADER, DISTINCT, "x-user-id"),
                selector(SOURCE_CIDR, DISTINCT, "", "10.0.0.0/8")));

        String alice = selectors.key(from("10.1.2.3", get("/").header("x-user-id", "alice")));
        String bob = selectors.key(from("10.1.2.3", get("/").header("x-user-id", "bob")));
        String aliceElsewhere = selectors.key(from("10.9.9.9", get("/").header("x-user-id", "alice")));

        assertThat(selectors.distinct()).isTrue();
        assertThat(List.of(alice, bob, aliceElsewhere)).doesNotHaveDuplicates().doesNotContainNull();
        assertThat(selectors.key(from("10.1.2.3", get("/").header("x-user-id", "alice")))).isEqualTo(alice);
        assertThat(selectors.key(from("10.1.2.3", get("/")))).isNull();
        assertThat(selectors.key(from("192.168.0.1", get("/").header("x-user-id", "alice")))).as("outside the CIDR")
                .isNull();
    }

    @Test
    void sourceCidrMatchesIpv4AndIpv6Ranges() {
        ClientSelectors v4 = ClientSelectors.of(List.of(selector(SOURCE_CIDR, EXACT, "", "192.168.4.0/22")));
        ClientSelectors v6 = ClientSelectors.of(List.of(selector(SOURCE_CIDR, EXACT, "", "2001:db8::/32")));
        ClientSelectors all = ClientSelectors.of(List.of(selector(SOURCE_CIDR, DISTINCT, "", "0.0.0.0/0")));

        assertThat(v4.key(from("192.168.7.255", get("/")))).isEqualTo("");
        assertThat(v4.key(from("192.168.8.0", get("/")))).isNull();
        assertThat(v4.key(from("2001:db8::1", get("/")))).isNull();
        assertThat(v6.key(from("2001:db8:ffff::1", get("/")))).isEqualTo("");
        assertThat(v6.key(from("2001:db9::1", get("/")))).isNull();
        assertThat(all.key(from("203.0.113.7", get("/")))).isEqualTo("203.0.113.7\n");
    }

    @Test
    void pathAndMethod() {
        ClientSelectors prefix = ClientSelectors.of(List.of(selector(PATH, PREFIX, "", "/orders"),
                selector(METHOD, EXACT, "", "POST", "PUT")));
        ClientSelectors exact = ClientSelectors.of(List.of(selector(PATH, EXACT, "", "/login")));
        ClientSelectors regex = ClientSelectors.of(List.of(selector(PATH, REGULAR_EXPRESSION, "", "/users/[0-9]+")));

        assertThat(prefix.key(MockServerHttpRequest.post("/orders/1?x=1").build())).isEqualTo("");
        assertThat(prefix.key(MockServerHttpRequest.get("/orders/1").build())).isNull();
        assertThat(prefix.key(MockServerHttpRequest.post("/users").build())).isNull();
        assertThat(exact.key(get("/login?next=/").build())).as("the query is not part of the path").isEqualTo("");
        assertThat(exact.key(get("/login/").build())).isNull();
        assertThat(regex.key(get("/users/42").build())).isEqualTo("");
        assertThat(regex.key(get("/users/42/orders").build())).isNull();
    }

    private static MockServerHttpRequest.BaseBuilder<?> get(String path) {
        return MockServerHttpRequest.get(path);
    }

    private static ServerHttpRequest from(String address, MockServerHttpRequest.BaseBuilder<?> request) {
        try {
            return request.remoteAddress(new InetSocketAddress(InetAddress.getByName(address), 40000)).build();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
