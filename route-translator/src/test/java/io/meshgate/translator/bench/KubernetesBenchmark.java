package io.meshgate.translator.bench;

import io.fabric8.istio.api.networking.v1.Gateway;
import io.fabric8.istio.api.networking.v1.GatewayBuilder;
import io.fabric8.istio.api.networking.v1.VirtualService;
import io.fabric8.istio.api.networking.v1.VirtualServiceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.meshgate.translator.ir.Snapshot;
import io.meshgate.translator.kubernetes.KubernetesSource;
import io.meshgate.translator.kubernetes.KubernetesSourceOptions;
import io.meshgate.translator.load.ResourceSet;
import io.meshgate.translator.translate.IncrementalTranslator;
import io.meshgate.translator.translate.TranslatorOptions;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Kubernetes source at scale, against fabric8's mock API server (CRUD mode, real list and watch over HTTP).
 *
 * <ul>
 *   <li>{@code propagation}: the time from a VirtualService create request to a translated snapshot that routes it
 *       (what the gateway swaps in), for single changes one after another and for a burst of 1,000 creates from 4
 *       threads; with the number of rebuilds.
 *   <li>{@code serve PORT SERVICES ENDPOINTS}: an API server on 127.0.0.1:PORT holding a Gateway, SERVICES
 *       Services each with ENDPOINTS ready endpoints (EndpointSlices and their Pods, with a realistic spec), and one
 *       VirtualService route per Service (10 routes each), for measuring the gateway's memory against it; runs
 *       until killed.
 * </ul>
 *
 * Run: {@code ./mvnw -q -pl route-translator test-compile exec:exec -Dexec.executable=java
 * -Dexec.classpathScope=test -Dexec.args="-cp %classpath io.meshgate.translator.bench.KubernetesBenchmark
 * propagation"}
 */
public final class KubernetesBenchmark {

    private KubernetesBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("serve")) {
            serve(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
        } else {
            propagation();
        }
    }

    private static KubernetesMockServer server() {
        return new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(List.of()), false);
    }

    private static void propagation() throws Exception {
        KubernetesMockServer server = server();
        server.init(InetAddress.getLoopbackAddress(), 0);
        KubernetesClient client = server.createClient();
        client.resources(Gateway.class).inNamespace("edge").resource(gateway()).create();
        client.services().inNamespace("shop").resource(service(0)).create();

        Map<String, Long> appliedAt = new ConcurrentHashMap<>();
        AtomicInteger rebuilds = new AtomicInteger();
        List<Long> translations = java.util.Collections.synchronizedList(new ArrayList<>());
        // a second informer on the same kind sees each change when the source's informer does (each has its own
        // watch): "seen" times, from which the source's own latency is measured
        Map<String, Long> seenAt = new ConcurrentHashMap<>();
        client.resources(VirtualService.class).inAnyNamespace().inform(new io.fabric8.kubernetes.client.informers
                .ResourceEventHandler<>() {
            @Override
            public void onAdd(VirtualService vs) {
                seenAt.putIfAbsent(vs.getMetadata().getName(), System.nanoTime());
            }

            @Override
            public void onUpdate(VirtualService before, VirtualService after) {
            }

            @Override
            public void onDelete(VirtualService vs, boolean unknown) {
            }
        });
        KubernetesSource source = new KubernetesSource(client, KubernetesSourceOptions.DEFAULTS);
        // as the gateway translates: only what changed since the previous translation is compiled again
        IncrementalTranslator translator = new IncrementalTranslator(TranslatorOptions.DEFAULTS);
        source.start(resources -> {
            long begin = System.nanoTime();
            Snapshot snapshot = translator.translate(resources).snapshot();
            long now = System.nanoTime();
            translations.add(now - begin);
            rebuilds.incrementAndGet();
            snapshot.listeners().forEach(listener -> listener.virtualHosts().forEach(host ->
                    host.routes().forEach(route -> appliedAt.putIfAbsent(route.origin().name(), now))));
        }, Duration.ofSeconds(30));

        // single changes: create, wait until applied, next; the first 50 warm up
        List<Long> single = new ArrayList<>();
        List<Long> singleSeen = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            String name = "single-" + i;
            long start = System.nanoTime();
            client.resources(VirtualService.class).inNamespace("shop").resource(virtualService(name, 0)).create();
            while (!appliedAt.containsKey(name)) {
                Thread.onSpinWait();
            }
            if (i >= 50) {
                single.add(appliedAt.get(name) - start);
                while (!seenAt.containsKey(name)) {
                    Thread.onSpinWait();
                }
                singleSeen.add(appliedAt.get(name) - seenAt.get(name));
            }
        }

        // a burst of 1,000 creates from 4 threads
        int burst = 1_000;
        Map<String, Long> createdAt = new ConcurrentHashMap<>();
        int rebuildsBefore = rebuilds.get();
        int translationsBefore = translations.size();
        ExecutorService writers = Executors.newFixedThreadPool(4);
        long burstStart = System.nanoTime();
        for (int i = 0; i < burst; i++) {
            String name = "burst-" + i;
            writers.execute(() -> {
                createdAt.put(name, System.nanoTime());
                client.resources(VirtualService.class).inNamespace("shop").resource(virtualService(name, 0))
                        .create();
            });
        }
        writers.shutdown();
        writers.awaitTermination(2, TimeUnit.MINUTES);
        long lastCreate = System.nanoTime();
        while (createdAt.keySet().stream().anyMatch(name -> !appliedAt.containsKey(name))) {
            Thread.sleep(1);
        }
        long allApplied = createdAt.keySet().stream().mapToLong(appliedAt::get).max().orElseThrow();
        List<Long> perChange = createdAt.entrySet().stream().map(e -> appliedAt.get(e.getKey()) - e.getValue())
                .sorted().toList();
        while (createdAt.keySet().stream().anyMatch(name -> !seenAt.containsKey(name))) {
            Thread.sleep(1);
        }
        List<Long> perChangeSeen = createdAt.keySet().stream().map(name -> appliedAt.get(name) - seenAt.get(name))
                .sorted().toList();
        List<Long> burstTranslations = List.copyOf(translations.subList(translationsBefore, translations.size()));

        System.out.printf("single change (200 after 50 warm-up), informer sees it -> applied snapshot: p50 %.1f ms, "
                + "p99 %.1f ms, max %.1f ms; create request -> applied: p50 %.1f ms, p99 %.1f ms%n",
                ms(percentile(singleSeen, 50)), ms(percentile(singleSeen, 99)), ms(percentile(singleSeen, 100)),
                ms(percentile(single, 50)), ms(percentile(single, 99)));
        System.out.printf("burst of %d creates (4 threads, %.0f ms to send): all applied %.0f ms after the first "
                + "request, %.0f ms after the last returned; per change, informer sees it -> applied: p50 %.1f ms, "
                + "p99 %.1f ms (create request -> applied: p50 %.1f, p99 %.1f ms); %d rebuilds, translation "
                + "p50 %.1f ms, max %.1f ms (the last with %d VirtualServices)%n",
                burst, ms(lastCreate - burstStart), ms(allApplied - burstStart), ms(allApplied - lastCreate),
                ms(percentile(perChangeSeen, 50)), ms(percentile(perChangeSeen, 99)),
                ms(percentile(perChange, 50)), ms(percentile(perChange, 99)), rebuilds.get() - rebuildsBefore,
                ms(percentile(burstTranslations, 50)), ms(percentile(burstTranslations, 100)), 200 + 50 + burst);
        source.close();
        client.close();
        server.destroy();
    }

    private static void serve(int port, int services, int endpointsPerService) throws Exception {
        KubernetesMockServer server = server();
        server.init(InetAddress.getLoopbackAddress(), port);
        KubernetesClient client = server.createClient();
        client.resources(Gateway.class).inNamespace("edge").resource(gateway()).create();
        ExecutorService writers = Executors.newFixedThreadPool(4);
        for (int s = 0; s < services; s++) {
            int service = s;
            writers.execute(() -> load(client, service, endpointsPerService));
        }
        for (int v = 0; v < services / 10; v++) {
            int first = v * 10;
            writers.execute(() -> client.resources(VirtualService.class).inNamespace("shop")
                    .resource(virtualService("vs-" + first, first)).create());
        }
        writers.shutdown();
        writers.awaitTermination(30, TimeUnit.MINUTES);
        System.out.printf("serving on http://127.0.0.1:%d: %d Services, %d endpoints, %d VirtualServices%n", port,
                services, services * endpointsPerService, services / 10);
        Thread.currentThread().join();
    }

    private static void load(KubernetesClient client, int service, int endpoints) {
        client.services().inNamespace("shop").resource(service(service)).create();
        var slice = new EndpointSliceBuilder().withNewMetadata().withName("svc-" + service + "-abcde")
                .withNamespace("shop").addToLabels("kubernetes.io/service-name", "svc-" + service).endMetadata()
                .withAddressType("IPv4").addNewPort().withName("http").withPort(8080).endPort();
        for (int e = 0; e < endpoints; e++) {
            String pod = "svc-" + service + "-" + e;
            // loopback addresses (127.0.0.0/8): nothing the benchmark routes can leave the machine
            String ip = "127." + (1 + service / 250) + "." + (service % 250) + "." + (e + 1);
            slice.addNewEndpoint().withAddresses(ip).withNewConditions().withReady(true).endConditions()
                    .withNodeName("node-" + (e % 3)).withZone("zone-" + (e % 3))
                    .withNewTargetRef().withKind("Pod").withName(pod).withNamespace("shop").endTargetRef()
                    .endEndpoint();
            client.pods().inNamespace("shop").resource(new PodBuilder().withNewMetadata().withName(pod)
                    .withNamespace("shop").addToLabels("app", "svc-" + service).addToLabels("version", "v" + (e % 2))
                    .addToLabels("pod-template-hash", "5d8f7c9b6").addToAnnotations("kubectl.kubernetes.io/restartedAt",
                            "2026-11-26T10:00:00Z").endMetadata()
                    .withNewSpec().addNewContainer().withName("app").withImage("registry.example.com/svc:1.4.2")
                    .addNewPort().withContainerPort(8080).withName("http").endPort()
                    .addNewEnv().withName("JAVA_TOOL_OPTIONS").withValue("-XX:MaxRAMPercentage=75").endEnv()
                    .withNewResources().addToRequests("cpu", new io.fabric8.kubernetes.api.model.Quantity("100m"))
                    .addToRequests("memory", new io.fabric8.kubernetes.api.model.Quantity("256Mi")).endResources()
                    .withNewReadinessProbe().withNewHttpGet().withPath("/ready").withNewPort(8080).endHttpGet()
                    .endReadinessProbe().endContainer().withNodeName("node-" + (e % 3))
                    .withServiceAccountName("svc").endSpec()
                    .withNewStatus().withPhase("Running").withPodIP(ip).withHostIP("192.168.0." + (e % 3))
                    .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus()
                    .build()).create();
        }
        client.discovery().v1().endpointSlices().inNamespace("shop").resource(slice.build()).create();
    }

    private static Gateway gateway() {
        return new GatewayBuilder().withNewMetadata().withName("public").withNamespace("edge").endMetadata()
                .withNewSpec().addToSelector("istio", "ingressgateway")
                .addNewServer().withNewPort().withNumber(80L).withName("http").withProtocol("HTTP").endPort()
                .withHosts("*/*.bench.local").endServer().endSpec().build();
    }

    private static io.fabric8.kubernetes.api.model.Service service(int number) {
        return new ServiceBuilder().withNewMetadata().withName("svc-" + number).withNamespace("shop").endMetadata()
                .withNewSpec().addToSelector("app", "svc-" + number).addNewPort().withName("http").withPort(80)
                .withNewTargetPort(8080).endPort().endSpec().build();
    }

    /** Ten routes, {@code /r0}..{@code /r9}, to ten consecutive Services from {@code first} (or one, repeated). */
    private static VirtualService virtualService(String name, int first) {
        var spec = new VirtualServiceBuilder().withNewMetadata().withName(name).withNamespace("shop").endMetadata()
                .withNewSpec().withHosts(name + ".bench.local").withGateways("edge/public");
        for (int r = 0; r < 10; r++) {
            int target = name.startsWith("vs-") ? first + r : first;
            spec = spec.addNewHttp().addNewMatch().withNewUri().withNewStringMatchPrefixType("/r" + r).endUri()
                    .endMatch().addNewRoute().withNewDestination().withHost("svc-" + target).endDestination()
                    .endRoute().endHttp();
        }
        return spec.endSpec().build();
    }

    private static long percentile(List<Long> sorted, int p) {
        List<Long> values = sorted.stream().sorted().toList();
        int index = Math.min(values.size() - 1, (int) Math.ceil(p / 100.0 * values.size()) - 1);
        return values.get(Math.max(index, 0));
    }

    private static double ms(long nanos) {
        return nanos / 1_000_000.0;
    }
}
