package io.meshgate.gateway;

import io.meshgate.gateway.listener.BoundPorts;
import io.meshgate.gateway.runner.ConfigRunner;
import io.meshgate.translator.ir.Listener;
import io.meshgate.translator.ir.Route;
import io.meshgate.translator.ir.RouteAction;
import io.meshgate.translator.ir.StringMatcher;
import io.meshgate.translator.ir.VirtualHost;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import reactor.core.publisher.Flux;
import reactor.netty.http.client.HttpClient;

/**
 * A start that serves a few requests to itself and exits ({@code --gateway.training-run=true}). The build records
 * such a start with {@code -XX:ArchiveClassesAtExit} to make the class data sharing archive it ships (see
 * {@code gateway-app/pom.xml}): a later start with that archive loads the classes of its whole startup and of its
 * first requests, proxied and answered locally, from it.
 */
final class TrainingRun implements ApplicationListener<ApplicationReadyEvent> {

    private static final Logger log = LoggerFactory.getLogger(TrainingRun.class);

    /** One request of the training run. */
    private record Request(String url, String host) {
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        ConfigurableApplicationContext context = event.getApplicationContext();
        Thread exercise = new Thread(() -> {
            try {
                HttpClient client = HttpClient.create().responseTimeout(Duration.ofSeconds(10));
                Flux.fromIterable(requests(context))
                        .concatMap(request -> client.headers(h -> h.set("Host", request.host()))
                                .get().uri(request.url())
                                .responseSingle((response, body) -> body.asString().defaultIfEmpty("")
                                        .thenReturn(request.host() + " " + request.url() + " "
                                                + response.status().code()))
                                .onErrorResume(error -> Flux.just(request.url() + " failed: " + error).next()))
                        .doOnNext(result -> log.info("training request: {}", result))
                        .blockLast(Duration.ofSeconds(60));
            } finally {
                System.exit(SpringApplication.exit(context));
            }
        }, "training-run");
        exercise.start();
    }

    /** A path the route matches, as far as its uri match tells. */
    private static String pathOf(Route route) {
        StringMatcher uri = route.match().uri().orElse(null);
        if (uri instanceof StringMatcher.Exact exact) {
            return exact.value();
        }
        return uri instanceof StringMatcher.Prefix prefix ? prefix.value() : "/";
    }

    /** For every listener a host it does not serve and a forwarding route of each host it does; management. */
    private static List<Request> requests(ConfigurableApplicationContext context) {
        BoundPorts ports = context.getBean(BoundPorts.class);
        List<Request> requests = new ArrayList<>();
        for (Listener listener : context.getBean(ConfigRunner.class).current().snapshot().listeners()) {
            ports.localPort(listener.port()).ifPresent(port -> {
                String base = "http://127.0.0.1:" + port;
                requests.add(new Request(base + "/", "unknown.invalid"));
                for (VirtualHost host : listener.virtualHosts()) {
                    String domain = host.domains().isEmpty() ? "" : host.domains().get(0).replace("*", "training");
                    host.routes().stream().filter(route -> route.action() instanceof RouteAction.Forward)
                            .findFirst()
                            .ifPresent(route -> requests.add(new Request(base + pathOf(route), domain)));
                }
            });
        }
        String management = context.getEnvironment().getProperty("local.management.port");
        if (management != null) {
            String base = "http://127.0.0.1:" + management + "/actuator/";
            requests.add(new Request(base + "health", "127.0.0.1"));
            requests.add(new Request(base + "prometheus", "127.0.0.1"));
        }
        return requests;
    }
}
