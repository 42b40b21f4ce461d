package io.meshgate.translator.api.policy.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** What a {@link RateLimitPolicy} limits, and how. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RateLimitPolicySpec {
    @Required
    @JsonPropertyDescription("The VirtualService (in the policy's namespace) whose routes, or the Gateway whose "
            + "served routes, the rules apply to.")
    private @Nullable PolicyTargetReference targetRef;

    @JsonPropertyDescription("Rules counted per gateway process.")
    private @Nullable RateLimitRules local;

    @JsonPropertyDescription("Rules counted across all gateway replicas (in Redis).")
    private @Nullable RateLimitRules global;

    @JsonPropertyDescription("Count what would be rejected, but reject nothing.")
    private @Nullable Boolean shadowMode;

    public @Nullable PolicyTargetReference getTargetRef() {
        return targetRef;
    }

    public void setTargetRef(@Nullable PolicyTargetReference targetRef) {
        this.targetRef = targetRef;
    }

    public @Nullable RateLimitRules getLocal() {
        return local;
    }

    public void setLocal(@Nullable RateLimitRules local) {
        this.local = local;
    }

    public @Nullable RateLimitRules getGlobal() {
        return global;
    }

    public void setGlobal(@Nullable RateLimitRules global) {
        this.global = global;
    }

    public @Nullable Boolean getShadowMode() {
        return shadowMode;
    }

    public void setShadowMode(@Nullable Boolean shadowMode) {
        this.shadowMode = shadowMode;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof RateLimitPolicySpec other && Objects.equals(targetRef, other.targetRef)
                && Objects.equals(local, other.local) && Objects.equals(global, other.global)
                && Objects.equals(shadowMode, other.shadowMode);
    }

    @Override
    public int hashCode() {
        return Objects.hash(targetRef, local, global, shadowMode);
    }
}
