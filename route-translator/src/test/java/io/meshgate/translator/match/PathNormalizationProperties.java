package io.meshgate.translator.match;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Properties of path normalization over paths built from the pieces attacks are made of (dots, escaped dots and
 * slashes, backslashes, runs of slashes, malformed escapes, queries and fragments), one seeded generator per case.
 */
class PathNormalizationProperties {

    private static final String[] PIECES = {"/", "/", "/", ".", "..", "%2e", "%2E", "%2f", "%2F", "%5c", "%5C", "\\",
        "a", "b", "%41", "%7e", "%3a", "%zz", "%", "%3", "~", "-", " ", "\u00e9", "//", "?", "#", "=", "%25", "%%"};
    private static final java.util.regex.Pattern ESCAPE = java.util.regex.Pattern.compile("%([0-9A-Fa-f]{2})");
    private static final int PATHS_PER_SEED = 500;

    static LongStream seeds() {
        return LongStream.range(0, 20).map(i -> 0x9a7_0000L + i);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void normalizingIsIdempotentAndLeavesNoDotSegmentsBackslashesOrUnreservedEscapes(long seed) {
        Random random = new Random(seed);
        for (int n = 0; n < PATHS_PER_SEED; n++) {
            String in = path(random);
            for (PathNormalization mode : PathNormalization.values()) {
                String out = mode.normalize(in);
                String context = "seed " + seed + ", " + mode + ", \"" + in + "\" -> \"" + out + "\"";
                assertThat(out).as(context).isNotNull();
                assertThat(mode.normalize(out)).as(context + " normalized again").isEqualTo(out);
                assertThat(out).as(context).doesNotContain("#");
                assertThat(query(out)).as(context + " query").isEqualTo(query(withoutFragment(in)));
                if (mode != PathNormalization.NONE) {
                    normalProperties(mode, path(out), context);
                }
            }
        }
    }

    private static void normalProperties(PathNormalization mode, String path, String context) {
        assertThat(path).as(context).startsWith("/").doesNotContain("\\");
        for (String segment : path.split("/", -1)) {
            assertThat(segment).as(context).isNotIn(".", "..");
        }
        Matcher escapes = ESCAPE.matcher(path);
        while (escapes.find()) {
            String hex = escapes.group(1);
            assertThat(hex).as(context + " hex case").isEqualTo(hex.toUpperCase(Locale.ROOT));
            char decoded = (char) Integer.parseInt(hex, 16);
            assertThat(Character.isLetterOrDigit(decoded) && decoded < 128 || "-._~".indexOf(decoded) >= 0)
                    .as(context + " escape of an unreserved character").isFalse();
        }
        for (int i = 0; i < path.length(); i++) {
            assertThat(path.charAt(i)).as(context + " raw character").isBetween('!', '~');
        }
        if (mode != PathNormalization.BASE) {
            assertThat(path).as(context).doesNotContain("//");
        }
        if (mode == PathNormalization.DECODE_AND_MERGE_SLASHES) {
            assertThat(path.toUpperCase(Locale.ROOT)).as(context).doesNotContain("%2F").doesNotContain("%5C");
        }
    }

    private static String path(Random random) {
        StringBuilder out = new StringBuilder();
        int pieces = random.nextInt(12);
        for (int i = 0; i < pieces; i++) {
            out.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return out.toString();
    }

    private static String withoutFragment(String target) {
        int fragment = target.indexOf('#');
        return fragment < 0 ? target : target.substring(0, fragment);
    }

    private static String path(String target) {
        int query = target.indexOf('?');
        return query < 0 ? target : target.substring(0, query);
    }

    private static String query(String target) {
        int query = target.indexOf('?');
        return query < 0 ? "" : target.substring(query);
    }
}
