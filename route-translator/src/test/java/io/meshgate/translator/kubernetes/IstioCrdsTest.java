package io.meshgate.translator.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.meshgate.translator.load.ResourceKind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@code k8s/crds/} holds the networking.istio.io CRDs a cluster without Istio needs for the kinds the gateway reads,
 * generated from fabric8's istio-model classes (the same classes the translator binds to) with fabric8's CRD
 * generator, and served, like Istio's own, in {@code v1} (stored), {@code v1beta1} and {@code v1alpha3}. This test
 * regenerates them and fails when the files differ; {@code -Dcrds.update=true} rewrites the files instead.
 */
class IstioCrdsTest {

    private static final Path CRDS = Path.of("..", "k8s", "crds");
    private static final List<ResourceKind> KINDS = List.of(ResourceKind.GATEWAY, ResourceKind.VIRTUAL_SERVICE,
            ResourceKind.DESTINATION_RULE, ResourceKind.SERVICE_ENTRY, ResourceKind.WORKLOAD_ENTRY);
    private static final Map<String, String> SHORT_NAMES = Map.of("Gateway", "gw", "VirtualService", "vs",
            "DestinationRule", "dr", "ServiceEntry", "se", "WorkloadEntry", "we");

    @Test
    void theCrdsInK8sAreThoseGeneratedFromTheModel() throws IOException {
        Map<String, String> generated = generate();
        assertThat(generated).hasSize(KINDS.size());
        if (Boolean.getBoolean("crds.update")) {
            Files.createDirectories(CRDS);
            for (Map.Entry<String, String> crd : generated.entrySet()) {
                Files.writeString(CRDS.resolve(crd.getKey()), crd.getValue());
            }
            Files.writeString(CRDS.resolve("kustomization.yaml"), kustomization(generated.keySet()));
        }
        for (Map.Entry<String, String> crd : generated.entrySet()) {
            assertThat(CRDS.resolve(crd.getKey())).as("k8s/crds/" + crd.getKey()
                    + " (regenerate with -Dcrds.update=true)").hasContent(crd.getValue());
        }
        assertThat(CRDS.resolve("kustomization.yaml")).hasContent(kustomization(generated.keySet()));
    }

    @Test
    void eachCrdServesTheThreeIstioVersionsAndStoresV1() throws IOException {
        KubernetesSerialization serialization = new KubernetesSerialization();
        for (String yaml : generate().values()) {
            CustomResourceDefinition crd = serialization.unmarshal(yaml, CustomResourceDefinition.class);
            assertThat(crd.getSpec().getGroup()).isEqualTo("networking.istio.io");
            assertThat(crd.getSpec().getVersions()).extracting(CustomResourceDefinitionVersion::getName)
                    .containsExactly("v1", "v1beta1", "v1alpha3");
            assertThat(crd.getSpec().getVersions()).filteredOn(CustomResourceDefinitionVersion::getStorage)
                    .extracting(CustomResourceDefinitionVersion::getName).containsExactly("v1");
            assertThat(crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().getProperties())
                    .containsKey("spec");
            assertThat(yaml).doesNotContainPattern("\\n *[A-Z][A-Za-z]*:\\n");
        }
    }

    @Test
    void oneOfFieldsArePreservedNotPruned() throws IOException {
        String virtualServices = generate().get("virtualservices.networking.istio.io-v1.yaml");
        CustomResourceDefinition crd = new KubernetesSerialization().unmarshal(virtualServices,
                CustomResourceDefinition.class);
        JSONSchemaProps uri = crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().getProperties()
                .get("spec").getProperties().get("http").getItems().getSchema().getProperties().get("match")
                .getItems().getSchema().getProperties().get("uri");
        assertThat(uri.getXKubernetesPreserveUnknownFields()).isTrue();
    }

    /** The CRD of each kind, by file name, with the Istio versions and names added to what the generator writes. */
    private static Map<String, String> generate() {
        Map<String, ByteArrayOutputStream> outputs = new TreeMap<>();
        new CRDGenerator()
                .withOutput(new CRDGenerator.CRDOutput<ByteArrayOutputStream>() {
                    @Override
                    public ByteArrayOutputStream outputFor(String name) {
                        return outputs.computeIfAbsent(name + ".yaml", n -> new ByteArrayOutputStream());
                    }

                    @Override
                    public void close() {
                    }
                })
                .withPostProcessor(new io.fabric8.crdv2.generator.CRDPostProcessor() {
                    @Override
                    public HasMetadata process(HasMetadata crd, String version) {
                        return istioVersions((CustomResourceDefinition) crd);
                    }
                })
                .forCRDVersions("v1")
                .customResourceClasses(KINDS.stream().<Class<? extends HasMetadata>>map(ResourceKind::modelClass)
                        .toList())
                .generate();
        Map<String, String> files = new TreeMap<>();
        outputs.forEach((name, out) -> files.put(name, "# Generated from fabric8 istio-model 7.5.2 by IstioCrdsTest "
                + "(-Dcrds.update=true); where Istio is installed, its own CRDs serve instead.\n"
                + out.toString(StandardCharsets.UTF_8)));
        return files;
    }

    private static CustomResourceDefinition istioVersions(CustomResourceDefinition crd) {
        CustomResourceDefinitionVersion v1 = crd.getSpec().getVersions().get(0);
        preserveOneOfs(v1.getSchema().getOpenAPIV3Schema());
        List<CustomResourceDefinitionVersion> versions = new ArrayList<>();
        versions.add(v1);
        for (String older : List.of("v1beta1", "v1alpha3")) {
            versions.add(new CustomResourceDefinitionVersionBuilder(v1).withName(older).withStorage(false)
                    .withServed(true).build());
        }
        crd.getSpec().setVersions(versions);
        String kind = crd.getSpec().getNames().getKind();
        crd.getSpec().getNames().setShortNames(List.of(SHORT_NAMES.get(kind)));
        crd.getSpec().getNames().setCategories(List.of("istio-io", "networking-istio-io"));
        return crd;
    }

    /**
     * Istio's oneOf fields ({@code uri: {prefix: ...}}, a fault's {@code httpStatus}/{@code grpcStatus}, ...) are
     * interface-typed, unwrapped fields in the model, which the generator writes as one capitalised property
     * ({@code MatchType}) that no document has: an API server would prune the real fields. Such an object keeps
     * its other properties and preserves the fields it does not list instead.
     */
    private static void preserveOneOfs(JSONSchemaProps schema) {
        if (schema == null) {
            return;
        }
        Map<String, JSONSchemaProps> properties = schema.getProperties();
        if (properties != null) {
            boolean oneOf = properties.keySet().removeIf(name -> Character.isUpperCase(name.charAt(0)));
            if (oneOf) {
                schema.setXKubernetesPreserveUnknownFields(true);
            }
            properties.values().forEach(IstioCrdsTest::preserveOneOfs);
        }
        if (schema.getItems() != null) {
            preserveOneOfs(schema.getItems().getSchema());
        }
        if (schema.getAdditionalProperties() != null) {
            preserveOneOfs(schema.getAdditionalProperties().getSchema());
        }
    }

    private static String kustomization(java.util.Collection<String> files) {
        StringBuilder out = new StringBuilder("""
                # networking.istio.io CRDs for a cluster without Istio: kubectl apply -k k8s/crds/
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                """);
        files.forEach(file -> out.append("- ").append(file).append('\n'));
        return out.toString();
    }
}
