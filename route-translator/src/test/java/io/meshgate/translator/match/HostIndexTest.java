package io.meshgate.translator.match;

import static io.meshgate.translator.match.SnapshotFixture.host;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class HostIndexTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = ' ', value = {
        "example.com example.com",
        "example.com:8080 example.com",
        "example.com: example.com",
        "[::1]:8080 [::1]",
        "[::1] [::1]",
        "::1 ::1",
        ":8080 ''",
        "[::1 [::1",
    })
    void hostEndStripsThePort(String authority, String host) {
        assertThat(authority.substring(0, HostIndex.hostEnd(authority))).isEqualTo(host);
    }

    @Test
    void wildcardNeedsANonEmptyLabelBeforeItsSuffix() {
        HostIndex<String> index = HostIndex.build(List.of(host("w", List.of("*.example.com"))), h -> h.name());
        assertThat(index.find("a.example.com", 13)).isEqualTo("w");
        assertThat(index.find(".example.com", 12)).isNull();
        assertThat(index.find("example.com", 11)).isNull();
        assertThat(index.find("aexample.com", 12)).isNull();
    }

    @Test
    void domainsAreComparedIgnoringCase() {
        HostIndex<String> index = HostIndex.build(
                List.of(host("e", List.of("API.example.com")), host("w", List.of("*.Example.COM"))), h -> h.name());
        assertThat(index.find("api.EXAMPLE.com", 15)).isEqualTo("e");
        assertThat(index.find("WWW.example.com", 15)).isEqualTo("w");
    }
}
