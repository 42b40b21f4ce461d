package io.meshgate.gateway;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** Binds {@code gateway.path-normalization}, which the request handler applies before routing. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PathNormalizationProperties.class)
class PathNormalizationConfiguration {
}
