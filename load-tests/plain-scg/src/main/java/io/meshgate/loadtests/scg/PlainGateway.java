package io.meshgate.loadtests.scg;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Profile;

/**
 * Spring Cloud Gateway as its starter comes: the peer the load tests compare the gateway with. By default it serves
 * the one static route of {@code application.yml}. With the profile {@code many-routes} it serves instead
 * {@code routes.hosts} hosts {@code svc-NNNN.bench.local} with {@code routes.rules} path prefixes {@code /r0/},
 * {@code /r1/}, ... each, in that order, written with Spring Cloud Gateway's Java DSL (bound from properties,
 * 10,000 routes take minutes to start).
 */
@SpringBootApplication
public class PlainGateway {

    public static void main(String[] args) {
        SpringApplication.run(PlainGateway.class, args);
    }

    @Bean
    @Profile("many-routes")
    RouteLocator manyRoutes(RouteLocatorBuilder builder, @Value("${routes.hosts}") int hosts,
            @Value("${routes.rules}") int rules, @Value("${backend.port}") int backendPort) {
        RouteLocatorBuilder.Builder routes = builder.routes();
        String uri = "http://127.0.0.1:" + backendPort;
        for (int h = 0; h < hosts; h++) {
            String host = String.format("svc-%04d.bench.local", h);
            for (int r = 0; r < rules; r++) {
                String prefix = "/r" + r + "/**";
                routes.route(host + prefix, route -> route.host(host).and().path(prefix).uri(uri));
            }
        }
        return routes.build();
    }
}
