package io.meshgate.translator.match;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class BoundedRegexTest {

    /** Route regexes of the repository's examples and typical Istio configurations: all must stay accepted. */
    @ParameterizedTest
    @ValueSource(strings = {
        "/items/[0-9]+", "[a-z]+", "/orders/[0-9]+", "GET|HEAD", "[0-9]+", "[0-9a-f]{32}",
        "https://.*\\.example\\.org", "https://[a-z]+\\.example\\.org",
        "^/api/v[0-9]+/.*", "/api/v[0-9]+/users/[^/]+",
        "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
        "/users/[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/orders(/.*)?",
        "(?i)^/(static|assets|img)/.+\\.(png|jpe?g|gif|svg|css|js)$",
        "^(\\d{1,3}\\.){3}\\d{1,3}$", "([0-9a-f]{2}:){5}[0-9a-f]{2}", "^[^/]{1,255}$", ".{0,1000}",
        "^Bearer [A-Za-z0-9\\-_]+\\.[A-Za-z0-9\\-_]+\\.[A-Za-z0-9\\-_]*$", "\\p{Greek}+", "[[:alpha:]]{3,10}",
        "(?P<version>v[0-9]+)/(?:a|b|c)", "\\Qa.b\\E{2}", "a{2}", "(a{10}){100}",
    })
    void acceptsRealisticExpressions(String regex) {
        assertThat(BoundedRegex.excess(regex)).isEmpty();
        assertThat(BoundedRegex.compile(regex).pattern()).isEqualTo(regex);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/(((a{1000}){1000}){1000})", "(a{1000}){2}", "((a{100}){100})", "(x{2,1000}){2}",
        "(?:(?:(?:a{10}){10}){10}){2}", "a{1001}",
    })
    void refusesNestedRepetitionBeyondRe2sLimit(String regex) {
        assertThat(BoundedRegex.excess(regex)).hasValueSatisfying(m -> assertThat(m).startsWith("nested repetition"));
        assertThatThrownBy(() -> BoundedRegex.compile(regex)).isInstanceOf(PatternSyntaxException.class);
    }

    @Test
    void refusesAProgramTooLargeWithoutNestedCounts() {
        String regex = "[0-9a-f]{1000}".repeat(40);
        assertThat(BoundedRegex.excess(regex)).hasValueSatisfying(m -> assertThat(m)
                .startsWith("program size: 40002 instructions").contains("at most 32768"));
        String wide = "(" + "abcdefghij".repeat(400) + "){10}";
        assertThat(BoundedRegex.excess(wide)).hasValueSatisfying(m -> assertThat(m).startsWith("program size"));
    }

    @Test
    void refusesAnExpressionTooLongOrTooDeep() {
        assertThat(BoundedRegex.excess("a".repeat(BoundedRegex.MAX_LENGTH + 1)))
                .hasValueSatisfying(m -> assertThat(m).startsWith("length: 32769"));
        String deep = "(".repeat(1500) + "a" + ")".repeat(1500);
        assertThat(BoundedRegex.excess(deep)).hasValueSatisfying(m -> assertThat(m).startsWith("group nesting"));
        String nested = "(".repeat(900) + "a" + ")".repeat(900);
        assertThat(BoundedRegex.excess(nested)).isEmpty();
    }

    @Test
    void quotesOnlyTheStartOfALongExpression() {
        assertThat(BoundedRegex.quoted("a".repeat(100))).isEqualTo("a".repeat(64) + "... (100 characters)");
        assertThat(BoundedRegex.quoted("/a")).isEqualTo("/a");
    }

    @Test
    void syntaxErrorsStillComeFromRe2j() {
        assertThatThrownBy(() -> BoundedRegex.compile("/a/(?!b)")).isInstanceOf(PatternSyntaxException.class);
        assertThatThrownBy(() -> BoundedRegex.compile("[0-9")).isInstanceOf(PatternSyntaxException.class);
    }

    static LongStream seeds() {
        return LongStream.range(0, 40).map(i -> 0x5eed_0000L + i);
    }

    /** The estimate never counts fewer instructions than RE2J compiles, on random expressions small enough to build. */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void estimateIsAnUpperBoundOfRe2jsProgram(long seed) {
        Random random = new Random(seed);
        for (int i = 0; i < 200; i++) {
            String regex = expression(random, 3);
            Pattern pattern;
            try {
                pattern = Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                continue;
            }
            RegexCost cost = RegexCost.of(regex);
            assertThat(cost.programSize()).as("seed %d: %s", seed, regex).isGreaterThanOrEqualTo(pattern.programSize());
        }
    }

    private static final String[] ATOMS = {"a", "b", ".", "[a-z]", "[^/]", "\\d", "\\.", "^", "$", "\\b", "é",
        "[[:alpha:]]", "\\pL", "\\x41", "\\Qab\\E", "(?i)x"};
    private static final String[] REPEATS = {"", "", "", "*", "+", "?", "{2}", "{0,3}", "{2,}", "{1,4}?", "{3,5}",
        "{0}", "{1}"};

    private static String expression(Random random, int depth) {
        StringBuilder out = new StringBuilder();
        int branches = 1 + random.nextInt(3);
        for (int b = 0; b < branches; b++) {
            if (b > 0) {
                out.append('|');
            }
            int parts = 1 + random.nextInt(4);
            for (int p = 0; p < parts; p++) {
                if (depth > 0 && random.nextInt(4) == 0) {
                    String open = switch (random.nextInt(3)) {
                        case 0 -> "(";
                        case 1 -> "(?:";
                        default -> "(?P<g" + random.nextInt(1000) + ">";
                    };
                    out.append(open).append(expression(random, depth - 1)).append(')');
                } else {
                    out.append(ATOMS[random.nextInt(ATOMS.length)]);
                }
                out.append(REPEATS[random.nextInt(REPEATS.length)]);
            }
        }
        return out.toString();
    }
}
