package io.meshgate.loadtests.bench;

import static java.util.Objects.requireNonNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where things are: the project root (the built gateway and peer), the run's work directory (configs, logs, PIDs,
 * certificates; outside the repository) and the Java that runs the gateway and the peer.
 */
public record Layout(Path root, Path work, String java) {

    public Layout {
        requireNonNull(root, "root");
        requireNonNull(work, "work");
        requireNonNull(java, "java");
    }

    /** The Java running this harness: the gateway and the plain Spring Cloud Gateway run on the same. */
    public static String currentJava() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /**
     * The gateway as the build ships it (with its class data sharing archive), else its single jar: whichever the
     * last build wrote (a build with -Dcds.skip=true leaves an older shipped layout behind).
     */
    public Optional<Path> gatewayJar() {
        Path shipped = root.resolve("gateway-app/target/app/gateway-app.jar");
        Path single = root.resolve("gateway-app/target/gateway-app.jar");
        if (Files.isRegularFile(shipped) && (!Files.isRegularFile(single) || !newer(single, shipped))) {
            return Optional.of(shipped);
        }
        return Files.isRegularFile(single) ? Optional.of(single) : Optional.empty();
    }

    /** The class data sharing archive of the shipped layout, when that is what {@link #gatewayJar()} runs. */
    public Optional<Path> gatewayArchive() {
        Path archive = root.resolve("gateway-app/target/app/gateway-app.jsa");
        return gatewayJar().filter(jar -> jar.getParent().equals(archive.getParent()))
                .filter(jar -> Files.isRegularFile(archive)).map(jar -> archive);
    }

    public Optional<Path> plainScgJar() {
        Path jar = root.resolve("load-tests/plain-scg/target/plain-scg.jar");
        return Files.isRegularFile(jar) ? Optional.of(jar) : Optional.empty();
    }

    private static boolean newer(Path a, Path b) {
        try {
            return Files.getLastModifiedTime(a).compareTo(Files.getLastModifiedTime(b)) > 0;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    public Path gatewayConfig() {
        return work.resolve("gateway-config");
    }

    public Path tls() {
        return work.resolve("tls");
    }
}
