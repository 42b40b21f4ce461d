package io.meshgate.gateway.filter;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ShadowAuthorityTest {

    @Test
    void appendsShadowToTheHostBeforeAnyPort() {
        assertThat(ShadowAuthority.of("api.mystore.com")).isEqualTo("api.mystore.com-shadow");
        assertThat(ShadowAuthority.of("api.mystore.com:8080")).isEqualTo("api.mystore.com-shadow:8080");
        assertThat(ShadowAuthority.of("10.0.0.1:80")).isEqualTo("10.0.0.1-shadow:80");
        assertThat(ShadowAuthority.of("[::1]:80")).isEqualTo("[::1]-shadow:80");
        assertThat(ShadowAuthority.of("[::1]")).isEqualTo("[::1]-shadow");
    }
}
