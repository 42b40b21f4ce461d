package io.meshgate.translator.api.policy.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** A condition on the client's address. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SourceMatch {
    @Pattern("^(Exact|Distinct)$")
    @JsonPropertyDescription("Exact (default: the address is in the CIDR) or Distinct (one bucket per address in it).")
    private @Nullable String type;

    @Required
    @JsonPropertyDescription("An IPv4 or IPv6 CIDR, such as 10.0.0.0/8 or 0.0.0.0/0.")
    private @Nullable String value;

    public @Nullable String getType() {
        return type;
    }

    public void setType(@Nullable String type) {
        this.type = type;
    }

    public @Nullable String getValue() {
        return value;
    }

    public void setValue(@Nullable String value) {
        this.value = value;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof SourceMatch other && Objects.equals(type, other.type) && Objects.equals(value, other.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, value);
    }
}
