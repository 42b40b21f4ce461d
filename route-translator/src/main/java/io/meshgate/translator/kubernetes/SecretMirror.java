package io.meshgate.translator.kubernetes;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the TLS Secrets of the gateway's namespace as credential directories, where Gateway servers'
 * {@code credentialName} and DestinationRules' {@code credentialName} find them, laid out as the kubelet mounts a
 * Secret: {@code <dir>/<name>} is a symbolic link to a directory of files ({@code tls.crt}, {@code tls.key},
 * {@code ca.crt}, {@code ca.crl}), and an update writes a new directory and swaps the link in one rename, so a reader
 * never sees half a rotation. Istio's key names are accepted: {@code tls.crt}/{@code tls.key}/{@code ca.crt}
 * ({@code kubernetes.io/tls} Secrets), {@code cert}/{@code key}/{@code cacert} (generic ones) and {@code ca.crl}.
 * Secrets with none of them are left out; a deleted Secret's directory is removed.
 */
public final class SecretMirror implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SecretMirror.class);

    /** Istio's keys and the file each becomes. */
    private static final Map<String, String> FILES = files();

    private final KubernetesClient client;
    private final String namespace;
    private final Path directory;
    private final AtomicLong generation = new AtomicLong();
    private SharedIndexInformer<Secret> informer;

    /**
     * Creates the mirror.
     *
     * @param namespace the namespace whose Secrets are mirrored: the gateway's own, as Istio's gateways read theirs
     * @param directory where the credential directories go
     */
    public SecretMirror(KubernetesClient client, String namespace, Path directory) {
        this.client = client;
        this.namespace = namespace;
        this.directory = directory;
    }

    private static Map<String, String> files() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("tls.crt", "tls.crt");
        files.put("cert", "tls.crt");
        files.put("tls.key", "tls.key");
        files.put("key", "tls.key");
        files.put("ca.crt", "ca.crt");
        files.put("cacert", "ca.crt");
        files.put("ca.crl", "ca.crl");
        return files;
    }

    /** Lists the Secrets, writes them, and keeps them current; waits at most {@code timeout} for the list. */
    public void start(Duration timeout) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + directory, e);
        }
        informer = client.secrets().inNamespace(namespace).runnableInformer(0);
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Secret secret) {
                write(secret);
            }

            @Override
            public void onUpdate(Secret before, Secret after) {
                if (!before.getMetadata().getResourceVersion().equals(after.getMetadata().getResourceVersion())) {
                    write(after);
                }
            }

            @Override
            public void onDelete(Secret secret, boolean finalStateUnknown) {
                remove(secret.getMetadata().getName());
            }
        });
        try {
            informer.start().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("cannot list the Secrets of namespace " + namespace + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing Secrets", e);
        }
    }

    private void write(Secret secret) {
        String name = secret.getMetadata().getName();
        Map<String, byte[]> contents = contents(secret);
        if (contents.isEmpty()) {
            return;
        }
        try {
            Path version = directory.resolve(".." + name + "-" + generation.incrementAndGet());
            Files.createDirectories(version);
            for (Map.Entry<String, byte[]> file : contents.entrySet()) {
                Files.write(version.resolve(file.getKey()), file.getValue());
            }
            Path link = directory.resolve(name);
            Path previous = Files.isSymbolicLink(link) ? Files.readSymbolicLink(link) : null;
            Path staged = directory.resolve(".." + name + ".link");
            Files.deleteIfExists(staged);
            Files.createSymbolicLink(staged, version.getFileName());
            Files.move(staged, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            if (previous != null) {
                deleteTree(directory.resolve(previous));
            }
            log.info("Secret {}/{} written to {} ({})", namespace, name, link, String.join(", ",
                    contents.keySet()));
        } catch (IOException e) {
            log.warn("Secret {}/{} not written to {}: {}", namespace, name, directory, e.toString());
        }
    }

    private static Map<String, byte[]> contents(Secret secret) {
        Map<String, byte[]> contents = new LinkedHashMap<>();
        Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
        Map<String, String> plain = secret.getStringData() == null ? Map.of() : secret.getStringData();
        FILES.forEach((key, file) -> {
            if (contents.containsKey(file)) {
                return;
            }
            if (data.containsKey(key)) {
                contents.put(file, Base64.getMimeDecoder().decode(data.get(key)));
            } else if (plain.containsKey(key)) {
                contents.put(file, plain.get(key).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        });
        return contents;
    }

    private void remove(String name) {
        Path link = directory.resolve(name);
        try {
            if (Files.isSymbolicLink(link)) {
                Path target = directory.resolve(Files.readSymbolicLink(link));
                Files.delete(link);
                deleteTree(target);
                log.info("Secret {}/{} deleted: {} removed", namespace, name, link);
            }
        } catch (IOException e) {
            log.warn("cannot remove {}: {}", link, e.toString());
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    @Override
    public void close() {
        if (informer != null) {
            informer.stop();
        }
    }
}
