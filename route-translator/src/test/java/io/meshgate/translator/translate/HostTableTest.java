package io.meshgate.translator.translate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HostTableTest {

    private final HostTable<String> table = new HostTable<>();

    @Test
    void exactHostWinsOverWildcards() {
        table.put("*.example.com", "wildcard");
        table.put("api.example.com", "exact");

        assertThat(table.find("api.example.com")).contains("exact");
        assertThat(table.find("web.example.com")).contains("wildcard");
    }

    @Test
    void theLongestCoveringWildcardWins() {
        table.put("*.com", "com");
        table.put("*.example.com", "example");

        assertThat(table.find("a.b.example.com")).contains("example");
        assertThat(table.find("other.com")).contains("com");
    }

    @Test
    void aWildcardDoesNotCoverItsOwnSuffix() {
        table.put("*.example.com", "wildcard");

        assertThat(table.find("example.com")).isEmpty();
        assertThat(table.get("*.example.com")).contains("wildcard");
        assertThat(table.get("example.com")).isEmpty();
    }
}
