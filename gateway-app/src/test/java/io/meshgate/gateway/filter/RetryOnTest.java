package io.meshgate.gateway.filter;

import io.meshgate.gateway.proxy.UpstreamFailure;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Envoy's retry conditions, one outcome at a time. */
class RetryOnTest {

    @ParameterizedTest(name = "{0} on {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            5xx                      | 500              | true
            5xx                      | 503              | true
            5xx                      | 599              | true
            5xx                      | 499              | false
            5xx                      | connect-failure  | true
            5xx                      | reset            | true
            5xx                      | timeout          | true
            gateway-error            | 502              | true
            gateway-error            | 504              | true
            gateway-error            | 500              | false
            gateway-error            | reset            | true
            gateway-error            | timeout          | true
            reset                    | reset            | true
            reset                    | connect-failure  | true
            reset                    | timeout          | false
            reset                    | 503              | false
            connect-failure          | connect-failure  | true
            connect-failure          | reset            | false
            connect-failure          | timeout          | false
            connect-failure          | 503              | false
            refused-stream           | connect-failure  | false
            refused-stream           | reset            | false
            reset-before-request     | connect-failure  | true
            retriable-4xx            | 409              | true
            retriable-4xx            | 404              | false
            503                      | 503              | true
            503                      | 502              | false
            retriable-status-codes   | 503              | false
            retriable-status-codes,503 | 503            | true
            unavailable              | grpc-14          | true
            unavailable              | grpc-13          | false
            internal                 | grpc-13          | true
            cancelled                | grpc-1           | true
            deadline-exceeded        | grpc-4           | true
            resource-exhausted       | grpc-8           | true
            unavailable              | 503              | false
            5xx                      | ratelimited-503  | false
            envoy-ratelimited        | ratelimited-429  | true
            connect-failure          | answered         | false
            5xx                      | answered         | false
            """)
    void judgesOutcomesAsEnvoy(String retryOn, String outcome, boolean retried) {
        RetryOn conditions = RetryOn.parse(Arrays.asList(retryOn.split(",")));

        assertThat(conditions.matches(outcome(outcome))).isEqualTo(retried);
    }

    @Test
    void toleratesSpacesAndCase() {
        RetryOn conditions = RetryOn.parse(java.util.List.of(" Gateway-Error ", "UNAVAILABLE"));

        assertThat(conditions.matches(outcome("503"))).isTrue();
        assertThat(conditions.matches(outcome("grpc-14"))).isTrue();
    }

    private static TryOutcome outcome(String text) {
        return switch (text) {
            case "connect-failure" -> new TryOutcome.Failed(UpstreamFailure.CONNECT_FAILURE);
            case "reset" -> new TryOutcome.Failed(UpstreamFailure.RESET);
            case "timeout" -> new TryOutcome.Failed(UpstreamFailure.TIMEOUT);
            case "answered" -> new TryOutcome.Answered();
            default -> response(text);
        };
    }

    private static TryOutcome response(String text) {
        if (text.startsWith("grpc-")) {
            return new TryOutcome.Response(200, OptionalInt.of(Integer.parseInt(text.substring(5))), false);
        }
        if (text.startsWith("ratelimited-")) {
            return new TryOutcome.Response(Integer.parseInt(text.substring(12)), OptionalInt.empty(), true);
        }
        return new TryOutcome.Response(Integer.parseInt(text), OptionalInt.empty(), false);
    }
}
