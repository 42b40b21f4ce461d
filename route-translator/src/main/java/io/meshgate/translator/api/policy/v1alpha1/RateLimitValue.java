package io.meshgate.translator.api.policy.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** A quota: {@code requests} per {@code unit}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RateLimitValue {
    @Required
    @Min(1)
    private @Nullable Long requests;

    @Required
    @Pattern("^(Second|Minute|Hour|Day)$")
    @JsonPropertyDescription("Second, Minute, Hour or Day.")
    private @Nullable String unit;

    public @Nullable Long getRequests() {
        return requests;
    }

    public void setRequests(@Nullable Long requests) {
        this.requests = requests;
    }

    public @Nullable String getUnit() {
        return unit;
    }

    public void setUnit(@Nullable String unit) {
        this.unit = unit;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof RateLimitValue other && Objects.equals(requests, other.requests)
                && Objects.equals(unit, other.unit);
    }

    @Override
    public int hashCode() {
        return Objects.hash(requests, unit);
    }
}
