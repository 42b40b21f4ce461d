package io.meshgate.translator.translate;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgate.translator.ir.RouteAction;
import io.meshgate.translator.load.ResourceLoader;
import io.meshgate.translator.match.MatchResult;
import io.meshgate.translator.match.RouteMatcher;
import io.meshgate.translator.match.SimpleRequest;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bundled config/ is the seed's mesh as valid Istio, plus a local rate limit on the inventory rule: it has no
 * diagnostics and the gateway serves it.
 */
class ConfigDirectoryTest {

    @Test
    void bundledConfigIsCleanAndServesTheSeedsRoutes() {
        TranslationResult result = Translator.translate(ResourceLoader.load(List.of(Path.of("../config"))),
                TranslatorOptions.DEFAULTS);

        assertThat(result.diagnostics()).isEmpty();
        MatchResult orders = RouteMatcher.of(result.snapshot())
                .match(SimpleRequest.parse("GET http://api.mystore.com/orders/1"));
        assertThat(orders).isInstanceOfSatisfying(MatchResult.Matched.class, m -> assertThat(
                ((RouteAction.Forward) m.route().action()).clusters()).extracting(c -> c.weight())
                .containsExactly(90, 10));
        assertThat(((MatchResult.Matched) orders).route().policies().rateLimits()).isEmpty();
        MatchResult inventory = RouteMatcher.of(result.snapshot())
                .match(SimpleRequest.parse("GET http://api.mystore.com/inventory/1"));
        assertThat(inventory).isInstanceOfSatisfying(MatchResult.Matched.class, m -> assertThat(
                m.route().policies().rateLimits()).singleElement().satisfies(limit -> {
                    assertThat(limit.id()).isEqualTo("ratelimitpolicy/default/inventory-per-client/local/0");
                    assertThat(limit.limit().requests()).isEqualTo(20);
                    assertThat(limit.limit().capacity()).isEqualTo(30);
                }));
    }
}
