package io.meshgate.translator.api.policy.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** Conditions on a request, all of which must hold. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RateLimitSelectCondition {
    private List<HeaderMatch> headers = new ArrayList<>();

    @JsonProperty("sourceCIDR")
    @JsonPropertyDescription("The client's address (the connection's peer).")
    private @Nullable SourceMatch sourceCIDR;

    @JsonPropertyDescription("The request path, without the query.")
    private @Nullable PathMatch path;

    @JsonPropertyDescription("The request method is one of these (GET, POST, ...).")
    private List<String> methods = new ArrayList<>();

    public List<HeaderMatch> getHeaders() {
        return headers;
    }

    public void setHeaders(@Nullable List<HeaderMatch> headers) {
        this.headers = headers == null ? new ArrayList<>() : headers;
    }

    @JsonProperty("sourceCIDR")
    public @Nullable SourceMatch getSourceCIDR() {
        return sourceCIDR;
    }

    @JsonProperty("sourceCIDR")
    public void setSourceCIDR(@Nullable SourceMatch sourceCIDR) {
        this.sourceCIDR = sourceCIDR;
    }

    public @Nullable PathMatch getPath() {
        return path;
    }

    public void setPath(@Nullable PathMatch path) {
        this.path = path;
    }

    public List<String> getMethods() {
        return methods;
    }

    public void setMethods(@Nullable List<String> methods) {
        this.methods = methods == null ? new ArrayList<>() : methods;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof RateLimitSelectCondition other && headers.equals(other.headers)
                && Objects.equals(sourceCIDR, other.sourceCIDR) && Objects.equals(path, other.path)
                && methods.equals(other.methods);
    }

    @Override
    public int hashCode() {
        return Objects.hash(headers, sourceCIDR, path, methods);
    }
}
