package io.meshgate.gateway;

import io.meshgate.gateway.demo.DemoUpstreams;
import io.meshgate.gateway.runner.ConfigRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** {@code --gateway.demo-upstreams=true}: backends for the configuration's loopback endpoints. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty("gateway.demo-upstreams")
class DemoConfiguration {

    @Bean(destroyMethod = "close")
    DemoUpstreams demoUpstreams(ConfigRunner runner) {
        DemoUpstreams upstreams = new DemoUpstreams();
        upstreams.serve(runner.current());
        runner.subscribe(upstreams::serve);
        return upstreams;
    }
}
