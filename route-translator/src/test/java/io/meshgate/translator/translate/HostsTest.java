package io.meshgate.translator.translate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Istio's host matching between Gateway server hosts and VirtualService hosts. */
class HostsTest {

    @ParameterizedTest(name = "{0} ∩ {1} = {2}")
    @CsvSource({
            "api.example.com, api.example.com, api.example.com",
            "*.example.com, api.example.com, api.example.com",
            "api.example.com, *.example.com, api.example.com",
            "*, api.example.com, api.example.com",
            "api.example.com, *, api.example.com",
            "*, *, *",
            "*, *.example.com, *.example.com",
            "*.example.com, *.api.example.com, *.api.example.com",
            "*.com, *.example.com, *.example.com",
            "*.example.com, a.b.example.com, a.b.example.com"})
    void intersectionIsTheMoreSpecificHost(String a, String b, String expected) {
        assertThat(Hosts.intersection(a, b)).contains(expected);
    }

    @ParameterizedTest(name = "{0} ∩ {1} is empty")
    @CsvSource({
            "*.example.com, example.com",
            "example.com, *.example.com",
            "api.example.com, www.example.com",
            "*.example.com, *.example.org",
            "*.example.com, api.example.com.evil.org",
            "*.example.com, xexample.com"})
    void disjointHostsDoNotIntersect(String a, String b) {
        assertThat(Hosts.intersection(a, b)).isEmpty();
    }

    @Test
    void coversIsNotSymmetric() {
        assertThat(Hosts.covers("*.example.com", "*.api.example.com")).isTrue();
        assertThat(Hosts.covers("*.api.example.com", "*.example.com")).isFalse();
        assertThat(Hosts.covers("*.example.com", "*.example.com")).isTrue();
        assertThat(Hosts.covers("api.example.com", "*.example.com")).isFalse();
        assertThat(Hosts.covers("*", "*.example.com")).isTrue();
        assertThat(Hosts.covers("*.example.com", "*")).isFalse();
    }

    @Test
    void specificFirstPutsExactNamesAlphabeticallyThenWildcardsLongestFirstThenStar() {
        List<String> hosts = new ArrayList<>(List.of("*", "*.com", "zz.example.com", "*.example.com", "a.io",
                "*.api.example.com"));
        hosts.sort(Hosts.SPECIFIC_FIRST);
        assertThat(hosts).containsExactly("a.io", "zz.example.com", "*.api.example.com", "*.example.com", "*.com",
                "*");
    }
}
