package io.meshgate.translator.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The manifests in {@code k8s/} are real Kubernetes objects: every document binds to its fabric8 model class with
 * no field the model does not know (a typo would land in {@code additionalProperties}), the Deployment keeps the
 * properties the gateway relies on, and {@code kubectl kustomize} renders both kustomizations.
 */
class DeploymentManifestsTest {

    private static final Path K8S = Path.of("..", "k8s");
    private final KubernetesSerialization serialization = new KubernetesSerialization();

    private List<HasMetadata> load(Path file) throws IOException {
        String yaml = Files.readString(file);
        Object parsed = serialization.unmarshal(yaml);
        List<HasMetadata> objects = new ArrayList<>();
        if (parsed instanceof List<?> list) {
            list.forEach(o -> objects.add((HasMetadata) o));
        } else if (parsed instanceof io.fabric8.kubernetes.api.model.KubernetesList list) {
            objects.addAll(list.getItems());
        } else {
            objects.add((HasMetadata) parsed);
        }
        return objects;
    }

    private static List<Path> manifests() throws IOException {
        try (Stream<Path> files = Files.walk(K8S)) {
            return files.filter(p -> p.toString().endsWith(".yaml"))
                    .filter(p -> !p.getFileName().toString().equals("kustomization.yaml"))
                    .sorted().toList();
        }
    }

    @Test
    void everyManifestBindsToItsModelWithoutUnknownFields() throws Exception {
        List<Path> files = manifests();
        assertThat(files).isNotEmpty();
        for (Path file : files) {
            for (HasMetadata object : load(file)) {
                assertThat(object.getClass().getName()).as(file + " " + object.getKind())
                        .doesNotContain("GenericKubernetesResource");
                assertThat(unknownFields(object, new IdentityHashMap<>())).as(file + " " + object.getKind())
                        .isEmpty();
            }
        }
    }

    @Test
    void theDeploymentIsTheHardenedEdgeTheReadmeDescribes() throws Exception {
        Deployment deployment = (Deployment) load(K8S.resolve("deployment.yaml")).get(0);
        var pod = deployment.getSpec().getTemplate();
        var container = pod.getSpec().getContainers().get(0);

        assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
        assertThat(pod.getMetadata().getLabels()).containsEntry("istio", "ingressgateway");
        assertThat(container.getArgs()).contains("--gateway.config-source=kubernetes");
        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/readiness");
        assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/liveness");
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(pod.getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(container.getLifecycle().getPreStop()).isNotNull();
        assertThat(pod.getMetadata().getAnnotations()).containsEntry("prometheus.io/port", "15020");
    }

    @Test
    void theManagementPortListensOnThePodIpOnlyBehindANetworkPolicy() throws Exception {
        Deployment deployment = (Deployment) load(K8S.resolve("deployment.yaml")).get(0);
        var pod = deployment.getSpec().getTemplate();
        // the probes and Prometheus reach the pod IP; the application's own default is loopback
        assertThat(pod.getSpec().getContainers().get(0).getArgs()).contains("--management.server.address=0.0.0.0");

        NetworkPolicy policy = (NetworkPolicy) load(K8S.resolve("networkpolicy.yaml")).get(0);
        assertThat(pod.getMetadata().getLabels()).containsAllEntriesOf(policy.getSpec().getPodSelector()
                .getMatchLabels());
        assertThat(policy.getSpec().getPolicyTypes()).contains("Ingress");
        var management = policy.getSpec().getIngress().stream()
                .filter(rule -> rule.getPorts().stream().anyMatch(p -> p.getPort().getIntVal() == 15020))
                .toList();
        assertThat(management).isNotEmpty().allSatisfy(rule -> assertThat(rule.getFrom()).isNotEmpty());
        assertThat(policy.getSpec().getIngress()).filteredOn(rule -> rule.getFrom().isEmpty())
                .allSatisfy(rule -> assertThat(rule.getPorts()).extracting(p -> p.getPort().getIntVal())
                        .doesNotContain(15020));
    }

    @Test
    void kubectlKustomizeRendersTheBaseAndTheExample() throws Exception {
        boolean ci = "true".equals(System.getenv("CI"));
        boolean kubectl = Stream.of(System.getenv("PATH").split(java.io.File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, "kubectl")));
        // CI installs kubectl (.ci/run); elsewhere the test needs it on the PATH
        assertThat(kubectl || !ci).as("kubectl on the PATH in CI").isTrue();
        assumeTrue(kubectl, "kubectl is not on the PATH");
        for (Path dir : List.of(K8S, K8S.resolve("example"))) {
            Process process = new ProcessBuilder("kubectl", "kustomize", dir.toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String rendered = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as("kubectl kustomize " + dir).isZero();
            List<HasMetadata> objects = new ArrayList<>();
            for (String document : rendered.split("(?m)^---$")) {
                if (!document.isBlank()) {
                    objects.add(serialization.unmarshal(document));
                }
            }
            assertThat(objects).as(dir.toString()).isNotEmpty();
            if (dir.equals(K8S)) {
                assertThat(objects).extracting(HasMetadata::getKind).contains("Namespace", "ServiceAccount",
                        "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "Deployment", "Service",
                        "PodDisruptionBudget", "HorizontalPodAutoscaler", "NetworkPolicy");
                assertThat(objects).filteredOn(o -> !o.getKind().startsWith("Cluster")
                        && !o.getKind().equals("Namespace")).allSatisfy(o ->
                                assertThat(o.getMetadata().getNamespace()).isEqualTo("istio-system"));
            }
        }
    }

    /** Paths of every non-empty {@code additionalProperties} in the object graph. */
    private static List<String> unknownFields(Object object, Map<Object, Boolean> seen) throws Exception {
        List<String> found = new ArrayList<>();
        if (object == null || seen.put(object, Boolean.TRUE) != null) {
            return found;
        }
        if (object instanceof Collection<?> collection) {
            for (Object item : collection) {
                found.addAll(unknownFields(item, seen));
            }
            return found;
        }
        if (object instanceof Map<?, ?> map) {
            for (Object value : map.values()) {
                found.addAll(unknownFields(value, seen));
            }
            return found;
        }
        if (!(object instanceof KubernetesResource)) {
            return found;
        }
        for (Method getter : object.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || !getter.getName().startsWith("get")
                    || getter.getDeclaringClass() == Object.class || Set.of("getClass").contains(getter.getName())) {
                continue;
            }
            Object value = getter.invoke(object);
            if (getter.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    found.add(object.getClass().getSimpleName() + " " + extra.keySet());
                }
                continue;
            }
            found.addAll(unknownFields(value, seen));
        }
        return found;
    }
}
