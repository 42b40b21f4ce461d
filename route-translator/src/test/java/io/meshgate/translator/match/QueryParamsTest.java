package io.meshgate.translator.match;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QueryParamsTest {

    @Test
    void firstValueOfAName() {
        assertThat(QueryParams.firstValue("a=1&b=2&a=3", "a")).isEqualTo("1");
        assertThat(QueryParams.firstValue("a=1&b=2&a=3", "b")).isEqualTo("2");
        assertThat(QueryParams.firstValue("a=1&b=2", "c")).isNull();
        assertThat(QueryParams.firstValue("", "a")).isNull();
    }

    @Test
    void keyWithoutEqualsHasAnEmptyValue() {
        assertThat(QueryParams.firstValue("flag&a=1", "flag")).isEmpty();
        assertThat(QueryParams.firstValue("a=1&flag", "flag")).isEmpty();
        assertThat(QueryParams.firstValue("flag=", "flag")).isEmpty();
    }

    @Test
    void emptyPairsAreSkipped() {
        assertThat(QueryParams.firstValue("&&a=1&", "a")).isEqualTo("1");
        assertThat(QueryParams.firstValue("&&", "")).isNull();
    }

    @Test
    void valueKeepsLaterEqualsSigns() {
        assertThat(QueryParams.firstValue("token=a=b", "token")).isEqualTo("a=b");
    }

    @Test
    void namesAndValuesArePercentDecoded() {
        assertThat(QueryParams.firstValue("my%20key=a%2Bb+c", "my key")).isEqualTo("a+b c");
        assertThat(QueryParams.firstValue("q=%E2%82%AC%c3%bc", "q")).isEqualTo("€ü");
        assertThat(QueryParams.firstValue("my+key=1", "my key")).isEqualTo("1");
    }

    @Test
    void malformedEscapesAreKeptAsWritten() {
        assertThat(QueryParams.firstValue("q=100%", "q")).isEqualTo("100%");
        assertThat(QueryParams.firstValue("q=%zz%4", "q")).isEqualTo("%zz%4");
        assertThat(QueryParams.firstValue("q=%41%", "q")).isEqualTo("A%");
    }
}
