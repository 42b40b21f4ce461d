package io.meshgate.loadtests.bench;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a load generator is pointed at: a name for the report, a URL, request headers (the Host the gateway routes
 * by, {@code Connection: close} for new connections) and the process serving it, whose CPU time and memory the
 * report shows.
 */
public record Target(String name, String url, List<String> headers, @Nullable Started process) {

    public Target {
        requireNonNull(name, "name");
        requireNonNull(url, "url");
        headers = List.copyOf(headers);
    }

    public Target named(String newName) {
        return new Target(newName, url, headers, process);
    }

    public Target withHeader(String header) {
        List<String> more = new ArrayList<>(headers);
        more.add(header);
        return new Target(name, url, more, process);
    }
}
