package io.meshgate.translator.api.policy.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** One limit, on the requests its client selectors all match (every request when it has none). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RateLimitRule {
    @JsonPropertyDescription("Conditions that must all hold; none: every request.")
    private List<RateLimitSelectCondition> clientSelectors = new ArrayList<>();

    @Required
    private @Nullable RateLimitValue limit;

    @Min(0)
    @JsonPropertyDescription("Requests allowed beyond the limit at once, when the bucket is full (default 0).")
    private @Nullable Long burst;

    public List<RateLimitSelectCondition> getClientSelectors() {
        return clientSelectors;
    }

    public void setClientSelectors(@Nullable List<RateLimitSelectCondition> clientSelectors) {
        this.clientSelectors = clientSelectors == null ? new ArrayList<>() : clientSelectors;
    }

    public @Nullable RateLimitValue getLimit() {
        return limit;
    }

    public void setLimit(@Nullable RateLimitValue limit) {
        this.limit = limit;
    }

    public @Nullable Long getBurst() {
        return burst;
    }

    public void setBurst(@Nullable Long burst) {
        this.burst = burst;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof RateLimitRule other && clientSelectors.equals(other.clientSelectors)
                && Objects.equals(limit, other.limit) && Objects.equals(burst, other.burst);
    }

    @Override
    public int hashCode() {
        return Objects.hash(clientSelectors, limit, burst);
    }
}
