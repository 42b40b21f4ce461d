package io.meshgate.gateway;

import io.meshgate.translator.match.PathNormalization;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How request paths are normalized before routing ({@code gateway.path-normalization}), Istio's
 * {@code meshConfig.pathNormalization}: {@code NONE}, {@code BASE} (the default, as Istio's),
 * {@code MERGE_SLASHES} or {@code DECODE_AND_MERGE_SLASHES}. It is the proxy's setting, as in Istio it is the
 * mesh's and not a resource's, so it lives here and not in the translated snapshot.
 *
 * @param pathNormalization the option applied to every request of every listener
 */
@ConfigurationProperties("gateway")
public record PathNormalizationProperties(@DefaultValue("BASE") PathNormalization pathNormalization) {
}
