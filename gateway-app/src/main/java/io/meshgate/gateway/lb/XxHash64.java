package io.meshgate.gateway.lb;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * XXH64, the 64-bit xxHash of Yann Collet, as its specification ({@code doc/xxhash_spec.md} in the xxHash
 * repository) defines it. Envoy hashes endpoints and request keys with it, seed 0.
 */
final class XxHash64 {

    private static final long PRIME_1 = 0x9E3779B185EBCA87L;
    private static final long PRIME_2 = 0xC2B2AE3D27D4EB4FL;
    private static final long PRIME_3 = 0x165667B19E3779F9L;
    private static final long PRIME_4 = 0x85EBCA77C2B2AE63L;
    private static final long PRIME_5 = 0x27D4EB2F165667C5L;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private XxHash64() {
    }

    /** The hash of a string's UTF-8 bytes, seed 0. */
    static long hash(String text) {
        return hash(text, 0);
    }

    /** The hash of a string's UTF-8 bytes. */
    static long hash(String text, long seed) {
        return hash(text.getBytes(UTF_8), seed);
    }

    static long hash(byte[] input, long seed) {
        int length = input.length;
        int i = 0;
        long h;
        if (length >= 32) {
            long v1 = seed + PRIME_1 + PRIME_2;
            long v2 = seed + PRIME_2;
            long v3 = seed;
            long v4 = seed - PRIME_1;
            do {
                v1 = round(v1, (long) LONGS.get(input, i));
                v2 = round(v2, (long) LONGS.get(input, i + 8));
                v3 = round(v3, (long) LONGS.get(input, i + 16));
                v4 = round(v4, (long) LONGS.get(input, i + 24));
                i += 32;
            } while (i <= length - 32);
            h = Long.rotateLeft(v1, 1) + Long.rotateLeft(v2, 7) + Long.rotateLeft(v3, 12) + Long.rotateLeft(v4, 18);
            h = merge(h, v1);
            h = merge(h, v2);
            h = merge(h, v3);
            h = merge(h, v4);
        } else {
            h = seed + PRIME_5;
        }
        h += length;
        for (; i + 8 <= length; i += 8) {
            h ^= round(0, (long) LONGS.get(input, i));
            h = Long.rotateLeft(h, 27) * PRIME_1 + PRIME_4;
        }
        if (i + 4 <= length) {
            h ^= ((int) INTS.get(input, i) & 0xFFFFFFFFL) * PRIME_1;
            h = Long.rotateLeft(h, 23) * PRIME_2 + PRIME_3;
            i += 4;
        }
        for (; i < length; i++) {
            h ^= (input[i] & 0xFFL) * PRIME_5;
            h = Long.rotateLeft(h, 11) * PRIME_1;
        }
        return avalanche(h);
    }

    private static long round(long accumulator, long lane) {
        return Long.rotateLeft(accumulator + lane * PRIME_2, 31) * PRIME_1;
    }

    private static long merge(long h, long accumulator) {
        return (h ^ round(0, accumulator)) * PRIME_1 + PRIME_4;
    }

    private static long avalanche(long h) {
        h ^= h >>> 33;
        h *= PRIME_2;
        h ^= h >>> 29;
        h *= PRIME_3;
        return h ^ (h >>> 32);
    }
}
