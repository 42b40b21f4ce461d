package io.meshgate.translator.api.policy.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The rules of one kind (local or global) of a {@link RateLimitPolicy}; each applies on its own. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RateLimitRules {
    private List<RateLimitRule> rules = new ArrayList<>();

    public List<RateLimitRule> getRules() {
        return rules;
    }

    public void setRules(@Nullable List<RateLimitRule> rules) {
        this.rules = rules == null ? new ArrayList<>() : rules;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof RateLimitRules other && rules.equals(other.rules);
    }

    @Override
    public int hashCode() {
        return rules.hashCode();
    }
}
