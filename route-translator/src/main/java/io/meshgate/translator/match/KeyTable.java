package io.meshgate.translator.match;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A read-only hash table of string keys that is probed with a region of a request string, so that looking up a
 * host suffix or a path prefix needs no substring.
 *
 * <p>The hash is {@link String#hashCode()}'s polynomial, computed over case-folded characters when the table folds
 * case. Callers that walk a string can therefore hash every prefix (or suffix) in one pass and probe with
 * {@link #get(String, int, int, int)}.
 *
 * @param <V> the value type
 */
final class KeyTable<V> {

    private final boolean foldCase;
    private final int mask;
    private final @Nullable String[] keys;
    private final int[] hashes;
    private final @Nullable Object[] values;
    private final int size;

    /** Builds the table. When {@code foldCase} is set, keys must already be ASCII lower case. */
    KeyTable(Map<String, V> entries, boolean foldCase) {
        this.foldCase = foldCase;
        this.size = entries.size();
        // At most half full, so that probing a missing key stops at an empty slot quickly.
        int capacity = Integer.highestOneBit(Math.max(2, entries.size() * 2 - 1)) << 1;
        this.mask = capacity - 1;
        this.keys = new String[capacity];
        this.hashes = new int[capacity];
        this.values = new Object[capacity];
        entries.forEach(this::insert);
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Extends the hash of a string by one character on the right. */
    int step(int hash, char c) {
        return 31 * hash + fold(c);
    }

    /** Extends the hash of a string of length {@code n} by one character on the left; {@code power} is 31^n. */
    int prepend(char c, int power, int hash) {
        return power * fold(c) + hash;
    }

    /** The hash of {@code s[from, to)}. */
    int hash(String s, int from, int to) {
        int hash = 0;
        for (int i = from; i < to; i++) {
            hash = step(hash, s.charAt(i));
        }
        return hash;
    }

    /** The value whose key equals {@code s[from, to)}, or null. */
    @Nullable V get(String s, int from, int to) {
        return size == 0 ? null : get(s, from, to, hash(s, from, to));
    }

    /** As {@link #get(String, int, int)}, with the region's hash already computed. */
    @SuppressWarnings("unchecked")
    @Nullable V get(String s, int from, int to, int hash) {
        int length = to - from;
        for (int slot = spread(hash) & mask; ; slot = (slot + 1) & mask) {
            String key = keys[slot];
            if (key == null) {
                return null;
            }
            if (hashes[slot] == hash && key.length() == length && regionEquals(s, from, key)) {
                return (V) values[slot];
            }
        }
    }

    private void insert(String key, V value) {
        int hash = hash(key, 0, key.length());
        int slot = spread(hash) & mask;
        while (keys[slot] != null) {
            slot = (slot + 1) & mask;
        }
        keys[slot] = key;
        hashes[slot] = hash;
        values[slot] = value;
    }

    private boolean regionEquals(String s, int from, String key) {
        if (!foldCase) {
            return s.regionMatches(from, key, 0, key.length());
        }
        for (int i = 0; i < key.length(); i++) {
            if (AsciiCase.toLower(s.charAt(from + i)) != key.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private char fold(char c) {
        return foldCase ? AsciiCase.toLower(c) : c;
    }

    // Similar keys (svc-1, svc-2, ...) have String hashes that differ in few bits; spread them over the masked bits.
    private static int spread(int hash) {
        int h = hash * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
