package io.meshgate.translator.api.policy.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** A condition on one request header. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HeaderMatch {
    @Pattern("^(Exact|RegularExpression|Distinct)$")
    @JsonPropertyDescription("Exact (default), RegularExpression (RE2, whole value) or Distinct (present; one bucket "
            + "per value).")
    private @Nullable String type;

    @Required
    private @Nullable String name;

    @JsonPropertyDescription("The value or expression, for Exact and RegularExpression.")
    private @Nullable String value;

    @JsonPropertyDescription("Match when the header does not match (or is absent); Exact and RegularExpression only.")
    private @Nullable Boolean invert;

    public @Nullable String getType() {
        return type;
    }

    public void setType(@Nullable String type) {
        this.type = type;
    }

    public @Nullable String getName() {
        return name;
    }

    public void setName(@Nullable String name) {
        this.name = name;
    }

    public @Nullable String getValue() {
        return value;
    }

    public void setValue(@Nullable String value) {
        this.value = value;
    }

    public @Nullable Boolean getInvert() {
        return invert;
    }

    public void setInvert(@Nullable Boolean invert) {
        this.invert = invert;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof HeaderMatch other && Objects.equals(type, other.type) && Objects.equals(name, other.name)
                && Objects.equals(value, other.value) && Objects.equals(invert, other.invert);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, name, value, invert);
    }
}
