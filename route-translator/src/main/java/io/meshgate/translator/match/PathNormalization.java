package io.meshgate.translator.match;

import org.jspecify.annotations.Nullable;

/**
 * Istio's {@code meshConfig.pathNormalization}: how a request's path is normalized once, before routing (and
 * before authorization), and forwarded normalized. The steps run in Istio's order: decode escaped slashes
 * ({@link #DECODE_AND_MERGE_SLASHES} only), then Envoy's {@code normalize_path} (RFC 3986 §5.2.4 dot-segment
 * removal by Chromium's URL canonicalizer, with its decoding of unreserved characters and {@code \} as {@code /}),
 * then merging slashes. In every option the fragment is cut off and the query is left as it is.
 */
public enum PathNormalization {
    /** The path as received (without its fragment). Vulnerable to CVE-2021-31920 with path-based policies. */
    NONE,
    /** Istio's default: Envoy's {@code normalize_path}, {@code /a/../b} is {@code /b}, {@code \a} is {@code /a}. */
    BASE,
    /** {@link #BASE}, then adjacent slashes merged: {@code /a//b} is {@code /a/b}. */
    MERGE_SLASHES,
    /** {@code %2F %2f %5C %5c} decoded first, then {@link #MERGE_SLASHES}: {@code /a%2fb} is {@code /a/b}. */
    DECODE_AND_MERGE_SLASHES;

    /**
     * The normalized form of a request target in origin form ({@code path[?query][#fragment]}): the normalized path
     * and the query unchanged, without the fragment. The asterisk form {@code *} is returned as it is. An already
     * normal target is returned as the same instance after one scan, without allocating.
     *
     * @return null when the path cannot be normalized: it holds a NUL, raw or as {@code %00}, which Envoy answers
     *     with 400
     */
    public @Nullable String normalize(String target) {
        return PathNormalizer.normalize(target, this);
    }
}
