package io.meshgate.gateway.lb;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** XXH64 against the published test vectors. */
class XxHash64Test {

    private static final long PRIME = 2654435761L;

    /** Vectors quoted by xxHash ports (empty, short, one-stripe and several-stripe inputs, with seeds). */
    @ParameterizedTest
    @CsvSource({
            "'', 0, ef46db3751d8e999",
            "'', 1, d5afba1336a3be4b",
            "a, 0, d24ec4f1a98c6e5b",
            "abc, 0, 44bc2cf5ad770999",
            "Nobody inspects the spammish repetition, 0, fbcea83c8a378bf1",
            "Nobody inspects the spammish repetition, 123, a8ba45551f24b7ae",
            "The quick brown fox jumps over the lazy dog, 0, 0b242d361fda71bc"})
    void matchesPublishedStringVectors(String input, long seed, String expected) {
        assertThat(XxHash64.hash(input, seed)).isEqualTo(Long.parseUnsignedLong(expected, 16));
    }

    /** The sanity check of the xxHash command line tool, {@code xxhsum}, on its generated 101-byte buffer. */
    @ParameterizedTest
    @CsvSource({
            "0, 0, ef46db3751d8e999",
            "0, 2654435761, ac75fda2929b17ef",
            "1, 0, 4fce394cc88952d8",
            "1, 2654435761, 739840cb819fa723",
            "14, 0, cffa8db881bc3a3d",
            "14, 2654435761, 5b9611585efcc9cb",
            "101, 0, 0eab543384f878ad",
            "101, 2654435761, caa65939306f1e21"})
    void matchesXxhsumSanityVectors(int length, long seed, String expected) {
        assertThat(XxHash64.hash(sanityBuffer(length), seed)).isEqualTo(Long.parseUnsignedLong(expected, 16));
    }

    /** {@code byteGen = PRIME32_1; buffer[i] = byteGen >> 24; byteGen *= byteGen}, in 32-bit arithmetic. */
    private static byte[] sanityBuffer(int length) {
        byte[] buffer = new byte[length];
        int byteGen = (int) PRIME;
        for (int i = 0; i < length; i++) {
            buffer[i] = (byte) (byteGen >>> 24);
            byteGen *= byteGen;
        }
        return buffer;
    }
}
