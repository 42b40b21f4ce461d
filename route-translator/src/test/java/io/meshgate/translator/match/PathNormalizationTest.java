package io.meshgate.translator.match;

import static io.meshgate.translator.match.PathNormalization.BASE;
import static io.meshgate.translator.match.PathNormalization.DECODE_AND_MERGE_SLASHES;
import static io.meshgate.translator.match.PathNormalization.MERGE_SLASHES;
import static io.meshgate.translator.match.PathNormalization.NONE;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Every option of Istio's {@code pathNormalization} over the cases Envoy's {@code normalize_path} tests cover. */
class PathNormalizationTest {

    /** Input, then what BASE, MERGE_SLASHES and DECODE_AND_MERGE_SLASHES make of it; null is "rejected". */
    static Stream<Arguments> table() {
        return Stream.of(
                // the attacks: a rule on /admin must see them as /admin, and /orders must not see them
                row("/orders/../admin", "/admin", "/admin", "/admin"),
                row("/../admin", "/admin", "/admin", "/admin"),
                row("/./admin", "/admin", "/admin", "/admin"),
                row("/%2e%2e/admin", "/admin", "/admin", "/admin"),
                row("/orders/%2E%2e/admin", "/admin", "/admin", "/admin"),
                row("/orders/.%2e/admin", "/admin", "/admin", "/admin"),
                row("/orders/..%2fadmin", "/orders/..%2Fadmin", "/orders/..%2Fadmin", "/admin"),
                row("/orders/..%5cadmin", "/orders/..%5Cadmin", "/orders/..%5Cadmin", "/admin"),
                row("/orders/..\\admin", "/admin", "/admin", "/admin"),
                // already normal: left as it is
                row("/", "/", "/", "/"),
                row("/orders/7", "/orders/7", "/orders/7", "/orders/7"),
                row("/a.b/c..d/...", "/a.b/c..d/...", "/a.b/c..d/...", "/a.b/c..d/..."),
                row("/.well-known/x", "/.well-known/x", "/.well-known/x", "/.well-known/x"),
                row("/a/..b/.c", "/a/..b/.c", "/a/..b/.c", "/a/..b/.c"),
                row("/a:b@c!$&'()*+,;=", "/a:b@c!$&'()*+,;=", "/a:b@c!$&'()*+,;=", "/a:b@c!$&'()*+,;="),
                // dot segments at the ends, and above the root
                row("/a/b/..", "/a/", "/a/", "/a/"),
                row("/a/b/.", "/a/b/", "/a/b/", "/a/b/"),
                row("/a/b/../", "/a/", "/a/", "/a/"),
                row("/..", "/", "/", "/"),
                row("/.", "/", "/", "/"),
                row("/a/b/../../../../c", "/c", "/c", "/c"),
                row("/a/./b/../c/", "/a/c/", "/a/c/", "/a/c/"),
                row("..", "/", "/", "/"),
                row("./a", "/a", "/a", "/a"),
                // slashes
                row("/a//b", "/a//b", "/a/b", "/a/b"),
                row("//admin", "//admin", "/admin", "/admin"),
                row("/a///", "/a///", "/a/", "/a/"),
                row("/a//../b", "/a/b", "/a/b", "/a/b"),
                row("/a%2fb", "/a%2Fb", "/a%2Fb", "/a/b"),
                row("/a%2F%2Fb", "/a%2F%2Fb", "/a%2F%2Fb", "/a/b"),
                row("/a%5cb", "/a%5Cb", "/a%5Cb", "/a/b"),
                row("\\admin", "/admin", "/admin", "/admin"),
                row("/a\\\\b", "/a//b", "/a/b", "/a/b"),
                // escapes: unreserved decoded, others kept in upper case, invalid ones kept
                row("/%61dmin", "/admin", "/admin", "/admin"),
                row("/%7Euser/%2D%5f%30", "/~user/-_0", "/~user/-_0", "/~user/-_0"),
                row("/a%3ab%3A", "/a%3Ab%3A", "/a%3Ab%3A", "/a%3Ab%3A"),
                row("/a%20b%25c", "/a%20b%25c", "/a%20b%25c", "/a%20b%25c"),
                row("/a%zz", "/a%zz", "/a%zz", "/a%zz"),
                row("/a%", "/a%", "/a%", "/a%"),
                row("/a%4", "/a%4", "/a%4", "/a%4"),
                row("/%%30%30", "/%2500", "/%2500", "/%2500"),
                row("/%4%31", "/%2541", "/%2541", "/%2541"),
                row("/%%41", "/%A", "/%A", "/%A"),
                row("/%2%46", "/%252F", "/%252F", "/%252F"),
                row("/a%00b", null, null, null),
                row("/a\u0000b", null, null, null),
                // characters a URL may not hold raw
                row("/a b\"<>^`{|}", "/a%20b%22%3C%3E%5E%60%7B%7C%7D", "/a%20b%22%3C%3E%5E%60%7B%7C%7D",
                        "/a%20b%22%3C%3E%5E%60%7B%7C%7D"),
                row("/\u00e9", "/%E9", "/%E9", "/%E9"),
                row("/\u20ac", "/%E2%82%AC", "/%E2%82%AC", "/%E2%82%AC"),
                row("/a\tb\u007f", "/a%09b%7F", "/a%09b%7F", "/a%09b%7F"),
                // the query is left alone, the fragment cut off
                row("/a/../b?x=../..&y=%2e//#frag", "/b?x=../..&y=%2e//", "/b?x=../..&y=%2e//", "/b?x=../..&y=%2e//"),
                row("/a?", "/a?", "/a?", "/a?"),
                row("/a/..?x", "/?x", "/?x", "/?x"),
                row("/a/.#f", "/a/", "/a/", "/a/"),
                row("/a//?x", "/a//?x", "/a/?x", "/a/?x"),
                row("/a#frag", "/a", "/a", "/a"),
                row("/a#frag?x", "/a", "/a", "/a"),
                row("/a//b?q//#f", "/a//b?q//", "/a/b?q//", "/a/b?q//"),
                // no path, a relative one, the asterisk form
                row("", "/", "/", "/"),
                row("?q", "/?q", "/?q", "/?q"),
                row("a/b", "/a/b", "/a/b", "/a/b"),
                row("*", "*", "*", "*"));
    }

    private static Arguments row(String in, String base, String merge, String decode) {
        return Arguments.of(in, base, merge, decode);
    }

    @ParameterizedTest(name = "BASE {0} -> {1}")
    @MethodSource("table")
    void base(String in, String base, String merge, String decode) {
        assertThat(BASE.normalize(in)).isEqualTo(base);
    }

    @ParameterizedTest(name = "MERGE_SLASHES {0} -> {2}")
    @MethodSource("table")
    void mergeSlashes(String in, String base, String merge, String decode) {
        assertThat(MERGE_SLASHES.normalize(in)).isEqualTo(merge);
    }

    @ParameterizedTest(name = "DECODE_AND_MERGE_SLASHES {0} -> {3}")
    @MethodSource("table")
    void decodeAndMergeSlashes(String in, String base, String merge, String decode) {
        assertThat(DECODE_AND_MERGE_SLASHES.normalize(in)).isEqualTo(decode);
    }

    @ParameterizedTest(name = "NONE {0}")
    @MethodSource("table")
    void noneLeavesThePathAndQueryAsReceivedAndCutsTheFragment(String in, String base, String merge,
            String decode) {
        int fragment = in.indexOf('#');
        assertThat(NONE.normalize(in)).isEqualTo(fragment < 0 ? in : in.substring(0, fragment));
    }

    @ParameterizedTest
    @EnumSource(PathNormalization.class)
    void anAlreadyNormalPathIsReturnedAsTheSameInstance(PathNormalization mode) {
        for (String path : new String[] {"/", "/orders/7", "/api/v1/users/42?expand=true&x=../..", "/a.b/.c/..d",
            "/static/app.min.js", "*"}) {
            assertThat(mode.normalize(path)).isSameAs(path);
        }
    }
}
