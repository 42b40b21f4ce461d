package io.meshgate.translator.api.policy.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** The resource a policy applies to, in the policy's own namespace (Gateway API's local policy target reference). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PolicyTargetReference {
    @JsonPropertyDescription("networking.istio.io, or left out.")
    private @Nullable String group;

    @Required
    @JsonPropertyDescription("VirtualService or Gateway.")
    private @Nullable String kind;

    @Required
    private @Nullable String name;

    @JsonPropertyDescription("A VirtualService http rule's name, or a Gateway server's port name: only its routes.")
    private @Nullable String sectionName;

    public @Nullable String getGroup() {
        return group;
    }

    public void setGroup(@Nullable String group) {
        this.group = group;
    }

    public @Nullable String getKind() {
        return kind;
    }

    public void setKind(@Nullable String kind) {
        this.kind = kind;
    }

    public @Nullable String getName() {
        return name;
    }

    public void setName(@Nullable String name) {
        this.name = name;
    }

    public @Nullable String getSectionName() {
        return sectionName;
    }

    public void setSectionName(@Nullable String sectionName) {
        this.sectionName = sectionName;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof PolicyTargetReference other && Objects.equals(group, other.group)
                && Objects.equals(kind, other.kind) && Objects.equals(name, other.name)
                && Objects.equals(sectionName, other.sectionName);
    }

    @Override
    public int hashCode() {
        return Objects.hash(group, kind, name, sectionName);
    }
}
