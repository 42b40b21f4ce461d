package io.meshgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.github.dockerjava.api.DockerClient;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.LocalPortForward;
import io.fabric8.kubernetes.client.readiness.Readiness;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * The gateway deployed as a user deploys it, in a real Kubernetes (k3s in Docker): the image built from the
 * repository's {@code Dockerfile} and imported into k3s, the CRDs of {@code k8s/crds}, the edge of {@code k8s/} and
 * the seed's shop of {@code k8s/example} applied, and a request routed through a gateway pod to an example backend.
 *
 * <p>It needs Docker (and the network, for the image build and the example's backend image); where Docker is not
 * available it is skipped, and says so. The same code paths are tested without Docker against fabric8's mock API
 * server ({@link KubernetesSourceTest}).
 */
@Timeout(value = 40, unit = TimeUnit.MINUTES)
class K3sEndToEndTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    /** The image {@code k8s/deployment.yaml} names. */
    private static final String IMAGE = "meshgate/gateway-app:0.1.0";
    /** A k3s whose Kubernetes has what the manifests use (preStop sleep, autoscaling/v2). */
    private static final DockerImageName K3S = DockerImageName.parse("rancher/k3s:v1.31.2-k3s1");

    private static final Logger log = LoggerFactory.getLogger(K3sEndToEndTest.class);

    private static K3sContainer k3s;
    private static KubernetesClient client;

    @BeforeEach
    void requireDocker() {
        boolean docker = DockerClientFactory.instance().isDockerAvailable();
        String skipped = "Docker is not available: the k3s end-to-end test (build the image, deploy k8s/ into k3s, "
                + "route a request) is skipped here; run it where Docker is (README, \"Kubernetes\")";
        if (!docker) {
            log.warn(skipped);
        }
        assumeTrue(docker, skipped);
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (k3s != null) {
            k3s.stop();
        }
    }

    @Test
    void deploysTheManifestsAndRoutesARequest() throws Exception {
        String image = buildImage();
        k3s = new K3sContainer(K3S);
        k3s.start();
        importImage(image);
        client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(k3s.getKubeConfigYaml())).build();
        k3s.copyFileToContainer(MountableFile.forHostPath(ROOT.resolve("k8s")), "/tmp/k8s");

        apply(kustomize("/tmp/k8s/crds"));
        for (HasMetadata crd : client.apiextensions().v1().customResourceDefinitions().list().getItems()) {
            client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
                    .waitUntilCondition(c -> c.getStatus() != null && c.getStatus().getConditions().stream()
                            .anyMatch(s -> s.getType().equals("Established") && s.getStatus().equals("True")),
                            2, TimeUnit.MINUTES);
        }
        apply(kustomize("/tmp/k8s"));
        apply(kustomize("/tmp/k8s/example"));

        for (Deployment backend : client.apps().deployments().inNamespace("default").list().getItems()) {
            client.apps().deployments().inNamespace("default").withName(backend.getMetadata().getName())
                    .waitUntilReady(5, TimeUnit.MINUTES);
        }
        client.apps().deployments().inNamespace("istio-system").withName("meshgate")
                .waitUntilReady(10, TimeUnit.MINUTES);

        Pod gateway = client.pods().inNamespace("istio-system").withLabel("app", "meshgate").list().getItems()
                .stream().filter(Readiness::isPodReady).findFirst().orElseThrow();
        try (LocalPortForward forward = client.pods().inNamespace("istio-system")
                .withName(gateway.getMetadata().getName())
                .portForward(8080, InetAddress.getLoopbackAddress(), 0)) {
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                String response = get(forward.getLocalPort(), "api.mystore.com", "/orders/42");
                assertThat(response).startsWith("HTTP/1.1 200").contains("order-service");
            });
            assertThat(get(forward.getLocalPort(), "shop.example.com", "/")).startsWith("HTTP/1.1 404");
        }
    }

    /** The gateway image, built from the repository's Dockerfile with only the files it copies as the context. */
    private static String buildImage() {
        ImageFromDockerfile image = new ImageFromDockerfile(IMAGE, true)
                .withFileFromPath("Dockerfile", ROOT.resolve("Dockerfile"));
        for (String path : List.of(".mvn", "mvnw", "pom.xml", "route-translator/pom.xml", "gateway-app/pom.xml",
                "route-translator/src", "gateway-app/src", "config")) {
            image.withFileFromPath(path, ROOT.resolve(path));
        }
        return image.get();
    }

    /** Copies an image from Docker into k3s's containerd, where the kubelet finds it (no registry needed). */
    private static void importImage(String image) throws IOException, InterruptedException {
        DockerClient docker = DockerClientFactory.instance().client();
        Path tar = Files.createTempFile("meshgate-image", ".tar");
        try {
            try (InputStream saved = docker.saveImageCmd(image).exec()) {
                Files.copy(saved, tar, StandardCopyOption.REPLACE_EXISTING);
            }
            k3s.copyFileToContainer(MountableFile.forHostPath(tar), "/tmp/meshgate-image.tar");
            Container.ExecResult imported = k3s.execInContainer("k3s", "ctr", "-n", "k8s.io", "images", "import",
                    "/tmp/meshgate-image.tar");
            assertThat(imported.getExitCode()).as(imported.getStderr()).isZero();
        } finally {
            Files.deleteIfExists(tar);
        }
    }

    /** {@code kubectl kustomize} of a directory copied into the k3s container, by the kubectl k3s carries. */
    private static String kustomize(String directory) throws IOException, InterruptedException {
        Container.ExecResult rendered = k3s.execInContainer("k3s", "kubectl", "kustomize", directory);
        assertThat(rendered.getExitCode()).as(rendered.getStderr()).isZero();
        return rendered.getStdout();
    }

    private static void apply(String yaml) {
        client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).forceConflicts()
                .serverSideApply();
    }

    /** One HTTP/1.1 request with the given Host, on a fresh connection; the whole response. */
    private static String get(int port, String host, String path) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
