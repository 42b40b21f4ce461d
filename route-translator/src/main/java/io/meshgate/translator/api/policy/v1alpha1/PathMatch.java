package io.meshgate.translator.api.policy.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** A condition on the request path. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PathMatch {
    @Pattern("^(Exact|PathPrefix|RegularExpression)$")
    @JsonPropertyDescription("PathPrefix (default), Exact or RegularExpression (RE2, whole path).")
    private @Nullable String type;

    @Required
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
        return o instanceof PathMatch other && Objects.equals(type, other.type) && Objects.equals(value, other.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, value);
    }
}
