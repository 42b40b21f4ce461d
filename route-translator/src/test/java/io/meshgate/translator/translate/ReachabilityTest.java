package io.meshgate.translator.translate;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgate.translator.ir.HeaderMatch;
import io.meshgate.translator.ir.RouteMatch;
import io.meshgate.translator.ir.SourceRef;
import io.meshgate.translator.ir.StringMatcher;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Rules shadowed by earlier rules of the same VirtualService (IST0130) and shadowed match blocks (IST0131). */
class ReachabilityTest {

    private static final SourceRef VS = SourceRef.of("VirtualService", "shop", "api");

    @Test
    void aCatchAllMakesEveryLaterRuleUnreachable() {
        assertThat(check(List.of(any()), List.of(uri(prefix("/orders"))), List.of(any()))).containsExactly(
                "UNREACHABLE_RULE spec.http[1]", "UNREACHABLE_RULE spec.http[2]");
    }

    @Test
    void aPrefixCoversLongerPrefixesAndExactPathsUnderIt() {
        assertThat(check(List.of(uri(prefix("/api"))), List.of(uri(prefix("/api/v1"))), List.of(uri(exact("/api/x")))))
                .containsExactly("UNREACHABLE_RULE spec.http[1]", "UNREACHABLE_RULE spec.http[2]");
    }

    @Test
    void aLongerPrefixDoesNotCoverAShorterOne() {
        assertThat(check(List.of(uri(prefix("/api/v1"))), List.of(uri(prefix("/api"))))).isEmpty();
    }

    @Test
    void regexesCoverOnlyTheSameRegex() {
        StringMatcher regex = new StringMatcher.Regex("/a/.*");
        assertThat(check(List.of(uri(regex)), List.of(uri(regex)), List.of(uri(exact("/a/b"))))).containsExactly(
                "UNREACHABLE_RULE spec.http[1]");
    }

    @Test
    void ignoreUriCaseCoversCaseSensitiveButNotTheOtherWayRound() {
        MatchConverter.Block insensitive = block(0, match(Optional.of(prefix("/API")), true, List.of()), List.of());
        assertThat(check(List.of(insensitive), List.of(uri(prefix("/api/v1"))))).containsExactly(
                "UNREACHABLE_RULE spec.http[1]");
        assertThat(check(List.of(uri(prefix("/api"))), List.of(block(0, match(Optional.of(prefix("/api/v1")), true,
                List.of()), List.of())))).isEmpty();
    }

    @Test
    void aHeaderConditionCoversOnlyRulesThatRequireAtLeastAsMuch() {
        HeaderMatch canary = new HeaderMatch("x-canary", exact("true"));
        HeaderMatch user = new HeaderMatch("x-user", new StringMatcher.Present());
        MatchConverter.Block earlier = block(0, match(Optional.empty(), false, List.of(canary)), List.of());
        assertThat(check(List.of(earlier), List.of(block(0, match(Optional.of(prefix("/a")), false,
                List.of(canary, user)), List.of())))).containsExactly("UNREACHABLE_RULE spec.http[1]");
        assertThat(check(List.of(earlier), List.of(uri(prefix("/a"))))).isEmpty();
    }

    @Test
    void aBlockShadowsOnlyWhereItApplies() {
        MatchConverter.Block meshOnly = block(0, RouteMatch.ANY, List.of("mesh"));
        MatchConverter.Block atGateway = block(0, RouteMatch.ANY, List.of("edge/public"));
        MatchConverter.Block sameGatewayShortName = block(0, uri(prefix("/a")).match(), List.of("public"));
        SourceRef edge = SourceRef.of("VirtualService", "edge", "api");

        assertThat(check(List.of(meshOnly), List.of(any()))).isEmpty();
        assertThat(check(List.of(any()), List.of(meshOnly))).containsExactly("UNREACHABLE_RULE spec.http[1]");
        assertThat(check(edge, List.of(atGateway), List.of(sameGatewayShortName))).containsExactly(
                "UNREACHABLE_RULE spec.http[1]");
        assertThat(check(List.of(atGateway), List.of(meshOnly))).isEmpty();
    }

    @Test
    void aBlockSelectingSidecarClientsShadowsNothing() {
        MatchConverter.Block sourceLabels = new MatchConverter.Block(0, RouteMatch.ANY, List.of(), false, true);
        assertThat(check(List.of(sourceLabels), List.of(any()))).isEmpty();
    }

    @Test
    void oneShadowedBlockOfSeveralIsIneffectiveWithItsOwnIndex() {
        List<MatchConverter.Block> rule = List.of(block(0, uri(exact("/health")).match(), List.of()),
                block(2, uri(exact("/api/health")).match(), List.of()));
        assertThat(check(List.of(uri(prefix("/api"))), rule))
                .containsExactly("INEFFECTIVE_MATCH spec.http[1].match[2]");
    }

    @Test
    void aRuleWhoseBlocksAreAllShadowedIsUnreachableAndEachBlockIneffective() {
        List<MatchConverter.Block> rule = List.of(block(0, uri(exact("/api/a")).match(), List.of()),
                block(1, uri(prefix("/api/b")).match(), List.of()));
        assertThat(check(List.of(uri(prefix("/api"))), rule)).containsExactlyInAnyOrder(
                "INEFFECTIVE_MATCH spec.http[1].match[0]", "INEFFECTIVE_MATCH spec.http[1].match[1]",
                "UNREACHABLE_RULE spec.http[1]");
    }

    @Test
    void aRuleLeftOutShadowsNothing() {
        assertThat(check(List.of(), List.of(uri(prefix("/a"))))).isEmpty();
    }

    @SafeVarargs
    private static List<String> check(List<MatchConverter.Block>... rules) {
        return check(VS, rules);
    }

    @SafeVarargs
    private static List<String> check(SourceRef vs, List<MatchConverter.Block>... rules) {
        Reporter reporter = new Reporter();
        Reachability.check(List.of(rules), vs, reporter);
        assertThat(reporter.diagnostics()).allSatisfy(d -> assertThat(d.resource()).isEqualTo(vs));
        return reporter.diagnostics().stream().map(d -> d.code().name() + " " + d.fieldPath()).toList();
    }

    private static MatchConverter.Block any() {
        return MatchConverter.Block.ANY;
    }

    private static MatchConverter.Block uri(StringMatcher uri) {
        return block(0, match(Optional.of(uri), false, List.of()), List.of());
    }

    private static MatchConverter.Block block(int index, RouteMatch match, List<String> gateways) {
        return new MatchConverter.Block(index, match, gateways, true, false);
    }

    private static RouteMatch match(Optional<StringMatcher> uri, boolean ignoreCase, List<HeaderMatch> headers) {
        return new RouteMatch(uri, ignoreCase, Optional.empty(), Optional.empty(), Optional.empty(), headers,
                List.of(), List.of(), Optional.empty());
    }

    private static StringMatcher prefix(String value) {
        return new StringMatcher.Prefix(value);
    }

    private static StringMatcher exact(String value) {
        return new StringMatcher.Exact(value);
    }
}
