package io.meshgate.translator.match;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The routes of one virtual host whose uri condition is an exact path or a path prefix, for one case mode, indexed
 * so that one pass over a request path yields the ascending indices of every route whose uri condition it meets
 * (and of regex routes whose literal prefix it starts with, which still have their regex to pass).
 *
 * <p>The routes of all prefixes that a path starts with are exactly the routes of the longest such prefix and of
 * that prefix's own prefixes. So each prefix key maps to the merged list of itself and its prefixes, and each exact
 * key to its own routes plus those of the prefixes it starts with: a request needs the one longest hit. Prefixes are
 * found by probing each distinct prefix length, hashing the path incrementally as the lengths grow.
 */
final class UriIndex {

    private static final int[] NONE = new int[0];

    private final KeyTable<int[]> exact;
    private final KeyTable<int[]> prefixes;
    /** The distinct lengths of the prefix keys, ascending. */
    private final int[] prefixLengths;

    private UriIndex(KeyTable<int[]> exact, KeyTable<int[]> prefixes, int[] prefixLengths) {
        this.exact = exact;
        this.prefixes = prefixes;
        this.prefixLengths = prefixLengths;
    }

    /** The ascending indices of the routes whose exact or prefix uri condition {@code path} meets. */
    int[] candidates(String path) {
        int[] found = NONE;
        int hash = 0;
        int hashed = 0;
        for (int length : prefixLengths) {
            if (length > path.length()) {
                break;
            }
            for (; hashed < length; hashed++) {
                hash = prefixes.step(hash, path.charAt(hashed));
            }
            int[] routes = prefixes.get(path, 0, length, hash);
            found = routes != null ? routes : found;
        }
        if (exact.isEmpty()) {
            return found;
        }
        for (; hashed < path.length(); hashed++) {
            hash = exact.step(hash, path.charAt(hashed));
        }
        int[] routes = exact.get(path, 0, path.length(), hash);
        return routes != null ? routes : found;
    }

    /** Collects the conditions of one virtual host's routes, in route order. */
    static final class Builder {

        private final boolean ignoreCase;
        private final Map<String, List<Integer>> exact = new HashMap<>();
        private final Map<String, List<Integer>> prefixes = new HashMap<>();

        /** @param ignoreCase whether paths compare case-insensitively (Istio's {@code ignoreUriCase}) */
        Builder(boolean ignoreCase) {
            this.ignoreCase = ignoreCase;
        }

        void addExact(String path, int route) {
            exact.computeIfAbsent(key(path), k -> new ArrayList<>()).add(route);
        }

        void addPrefix(String prefix, int route) {
            prefixes.computeIfAbsent(key(prefix), k -> new ArrayList<>()).add(route);
        }

        UriIndex build() {
            int[] lengths = prefixes.keySet().stream().mapToInt(String::length).distinct().sorted().toArray();
            Map<String, int[]> exactEntries = new HashMap<>();
            exact.forEach((path, own) -> exactEntries.put(path, withPrefixesOf(path, own, lengths)));
            Map<String, int[]> prefixEntries = new HashMap<>();
            prefixes.forEach((prefix, own) -> prefixEntries.put(prefix, withPrefixesOf(prefix, own, lengths)));
            return new UriIndex(new KeyTable<>(exactEntries, ignoreCase), new KeyTable<>(prefixEntries, ignoreCase),
                    lengths);
        }

        private String key(String path) {
            return ignoreCase ? AsciiCase.toLower(path) : path;
        }

        /** {@code own} merged with the routes of every prefix key that {@code key} starts with. */
        private int[] withPrefixesOf(String key, List<Integer> own, int[] lengths) {
            TreeSet<Integer> routes = new TreeSet<>(own);
            for (int length : lengths) {
                if (length > key.length()) {
                    break;
                }
                routes.addAll(prefixes.getOrDefault(key.substring(0, length), List.of()));
            }
            return routes.stream().mapToInt(Integer::intValue).toArray();
        }
    }
}
