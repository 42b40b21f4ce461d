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
 * generator, and served, like Istio's own, in {@code v1} (stored), {@code v1beta1} and {@code v1alpha3}
 * (EnvoyFilter, as Istio's, in {@code v1alpha3} only); and the CRD of Meshgate's own RateLimitPolicy, generated the
 * same way from its model class, which every cluster needs. This test regenerates them and fails when the files
 * differ; {@code -Dcrds.update=true} rewrites the files instead.
 */
class IstioCrdsTest {

    private static final Path CRDS = Path.of("..", "k8s", "crds");
    private static final List<ResourceKind> KINDS = List.of(ResourceKind.GATEWAY, ResourceKind.VIRTUAL_SERVICE,
            ResourceKind.DESTINATION_RULE, ResourceKind.SERVICE_ENTRY, ResourceKind.WORKLOAD_ENTRY,
            ResourceKind.ENVOY_FILTER, ResourceKind.RATE_LIMIT_POLICY);
    private static final Map<String, String> SHORT_NAMES = Map.of("Gateway", "gw", "VirtualService", "vs",
            "DestinationRule", "dr", "ServiceEntry", "se", "WorkloadEntry", "we");
    private static final String ISTIO_GROUP = "networking.istio.io";
    private static final String RATE_LIMIT_POLICIES = "ratelimitpolicies.policy.meshgate.io-v1.yaml";

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
    void eachIstioCrdServesTheThreeIstioVersionsAndStoresV1() throws IOException {
        KubernetesSerialization serialization = new KubernetesSerialization();
        for (String yaml : generate().values()) {
            CustomResourceDefinition crd = serialization.unmarshal(yaml, CustomResourceDefinition.class);
            if (!crd.getSpec().getGroup().equals(ISTIO_GROUP) || crd.getSpec().getNames().getKind()
                    .equals("EnvoyFilter")) {
                continue;
            }
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

    @Test
    void envoyFilterIsServedInV1alpha3OnlyAsIstioServesIt() throws IOException {
        CustomResourceDefinition crd = new KubernetesSerialization().unmarshal(
                generate().get("envoyfilters.networking.istio.io-v1.yaml"), CustomResourceDefinition.class);
        assertThat(crd.getSpec().getVersions()).extracting(CustomResourceDefinitionVersion::getName)
                .containsExactly("v1alpha3");
        assertThat(crd.getSpec().getVersions().get(0).getStorage()).isTrue();
        JSONSchemaProps patch = crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().getProperties()
                .get("spec").getProperties().get("configPatches").getItems().getSchema().getProperties().get("patch");
        // the patch value is any Envoy configuration: kept as written
        assertThat(patch.getProperties().get("value").getXKubernetesPreserveUnknownFields()).isTrue();
    }

    @Test
    void rateLimitPolicyIsAStructuralV1alpha1SchemaWithItsRequiredFields() throws IOException {
        CustomResourceDefinition crd = new KubernetesSerialization().unmarshal(generate().get(RATE_LIMIT_POLICIES),
                CustomResourceDefinition.class);
        assertThat(crd.getSpec().getGroup()).isEqualTo("policy.meshgate.io");
        assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
        assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("rlp");
        assertThat(crd.getSpec().getVersions()).extracting(CustomResourceDefinitionVersion::getName)
                .containsExactly("v1alpha1");
        JSONSchemaProps spec = crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().getProperties()
                .get("spec");
        assertThat(spec.getRequired()).containsExactly("targetRef");
        assertThat(spec.getProperties()).containsOnlyKeys("targetRef", "local", "global", "shadowMode");
        JSONSchemaProps rule = spec.getProperties().get("local").getProperties().get("rules").getItems().getSchema();
        assertThat(rule.getRequired()).containsExactly("limit");
        assertThat(rule.getProperties().get("limit").getRequired()).containsExactlyInAnyOrder("requests", "unit");
        assertThat(rule.getProperties().get("clientSelectors").getItems().getSchema().getProperties())
                .containsOnlyKeys("headers", "sourceCIDR", "path", "methods");
        assertThat(generate().get(RATE_LIMIT_POLICIES)).doesNotContain("x-kubernetes-preserve-unknown-fields");
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
                        CustomResourceDefinition definition = (CustomResourceDefinition) crd;
                        return definition.getSpec().getGroup().equals(ISTIO_GROUP) ? istioVersions(definition)
                                : definition;
                    }
                })
                .forCRDVersions("v1")
                .customResourceClasses(KINDS.stream().<Class<? extends HasMetadata>>map(ResourceKind::modelClass)
                        .toList())
                .generate();
        Map<String, String> files = new TreeMap<>();
        outputs.forEach((name, out) -> files.put(name, (name.equals(RATE_LIMIT_POLICIES)
                ? "# Generated from io.meshgate.translator.api.policy.v1alpha1.RateLimitPolicy by IstioCrdsTest "
                        + "(-Dcrds.update=true); needed with or without Istio.\n"
                : "# Generated from fabric8 istio-model 7.5.2 by IstioCrdsTest (-Dcrds.update=true); where Istio is "
                        + "installed, its own CRDs serve instead.\n")
                + out.toString(StandardCharsets.UTF_8)));
        return files;
    }

    private static CustomResourceDefinition istioVersions(CustomResourceDefinition crd) {
        CustomResourceDefinitionVersion v1 = crd.getSpec().getVersions().get(0);
        preserveOneOfs(v1.getSchema().getOpenAPIV3Schema());
        List<CustomResourceDefinitionVersion> versions = new ArrayList<>();
        versions.add(v1);
        // EnvoyFilter's model is v1alpha3, the one version Istio serves it in
        for (String older : v1.getName().equals("v1") ? List.of("v1beta1", "v1alpha3") : List.<String>of()) {
            versions.add(new CustomResourceDefinitionVersionBuilder(v1).withName(older).withStorage(false)
                    .withServed(true).build());
        }
        crd.getSpec().setVersions(versions);
        String kind = crd.getSpec().getNames().getKind();
        crd.getSpec().getNames().setShortNames(SHORT_NAMES.containsKey(kind) ? List.of(SHORT_NAMES.get(kind))
                : List.of());
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
        if ("object".equals(schema.getType()) && (properties == null || properties.isEmpty())
                && schema.getAdditionalProperties() == null) {
            // a free-form object (google.protobuf.Struct, such as an EnvoyFilter patch's value) keeps what it holds
            schema.setXKubernetesPreserveUnknownFields(true);
        }
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
                # The CRDs of the kinds the gateway reads, for a cluster without Istio: kubectl apply -k k8s/crds/
                # Where Istio is installed, its CRDs serve the networking.istio.io kinds: apply only Meshgate's own,
                # kubectl apply -f k8s/crds/ratelimitpolicies.policy.meshgate.io-v1.yaml
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                """);
        files.forEach(file -> out.append("- ").append(file).append('\n'));
        return out.toString();
    }
}
