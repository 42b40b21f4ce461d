package io.meshgate.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.meshgate.gateway.forwarding.TrustedProxies;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * CIDRs are IP literals only, in the grammar the translator checks RateLimitPolicy CIDRs against: no host name (no
 * DNS lookup), no empty address (which {@code InetAddress} would read as loopback).
 */
class CidrTest {

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0/0", "10.0.0.0/8", "192.168.1.7/32", "::/0", "2001:db8::/32", "::1/128",
            "::ffff:10.0.0.0/104", "fe80::1:2:3:4/64", "192.0.2.7", "::1"})
    void literalsAreRanges(String cidr) {
        assertThat(Cidr.parse(cidr).prefixLength()).isBetween(0, 128);
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/33", "10.0.0.256/8", "10.0.0/8", "10.0.0.0/-1", "::/129", "2001:db8::g/32",
            "example.com/8", "localhost/32", "localhost", "[::1]/128", "fe80::1%eth0/64", "/8", "", "10.0.0.0/",
            "10.0.0.0/8x"})
    void anythingElseIsRejected(String cidr) {
        assertThatIllegalArgumentException().isThrownBy(() -> Cidr.parse(cidr));
    }

    @Test
    void anEmptyAddressIsNotLoopback() throws Exception {
        assertThatIllegalArgumentException().isThrownBy(() -> Cidr.parse("/8")).withMessageContaining("\"/8\"");
        assertThat(Cidr.parse("10.0.0.0/8").contains(InetAddress.getByName("127.0.0.1"))).isFalse();
    }

    @Test
    void anIpv4MappedRangeMatchesTheIpv4Peers() throws Exception {
        Cidr mapped = Cidr.parse("::ffff:10.0.0.0/104");

        assertThat(mapped.contains(InetAddress.getByName("10.1.2.3"))).isTrue();
        assertThat(mapped.contains(InetAddress.getByName("11.1.2.3"))).isFalse();
    }

    @Test
    void aTrustedProxyThatIsNotALiteralStopsTheStartNamingTheProperty() {
        assertThatIllegalArgumentException().isThrownBy(() -> TrustedProxies.parse(List.of("10.0.0.0/8", "proxy.lan")))
                .withMessageStartingWith("gateway.forwarding.trusted-proxies: ").withMessageContaining("proxy.lan");
    }
}
