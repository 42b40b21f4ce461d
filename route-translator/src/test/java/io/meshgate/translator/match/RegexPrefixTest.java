package io.meshgate.translator.match;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RegexPrefixTest {

    @ParameterizedTest(name = "{0} -> \"{1}\"")
    @CsvSource(delimiter = ' ', value = {
        "/api/v[0-9]+/.* /api/v",
        "/orders /orders",
        "/ab* /a",
        "/ab+ /a",
        "/ab? /a",
        "/ab{2} /a",
        "/a.b /a",
        "/a\\.b /a",
        "/api/(v1|v2)/x /api/",
        "/api/[|]x /api/",
        "/api/[[:alpha:]|]x /api/",
        "/a|/b ''",
        "/a(b)|c ''",
        "/a\\Q|\\E ''",
        "/a(b ''",
        "/a)b ''",
        "(?i)/a ''",
        "^/a ''",
        ".* ''",
        "/é /",
        "/aé* /a",
        "* ''",
    })
    void literalPrefix(String regex, String prefix) {
        assertThat(RegexPrefix.of(regex)).isEqualTo(prefix);
    }
}
