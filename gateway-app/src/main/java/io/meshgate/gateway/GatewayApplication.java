package io.meshgate.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The edge gateway. */
@SpringBootApplication
public class GatewayApplication {

    /** reactor-netty's own setting for the number of event loops. */
    static final String EVENT_LOOPS = "reactor.netty.ioWorkerCount";

    public static void main(String[] args) {
        useOneEventLoopPerCpu();
        SpringApplication.run(GatewayApplication.class, args);
    }

    /**
     * One event loop per CPU the process may use, as Envoy runs one worker per core by default. reactor-netty's own
     * default is at least four, and on fewer CPUs the extra loops only take turns: more context switches, higher
     * latency. {@code -Dreactor.netty.ioWorkerCount=N} still decides when given. Set before any reactor-netty class
     * reads it.
     */
    static void useOneEventLoopPerCpu() {
        if (System.getProperty(EVENT_LOOPS) == null) {
            System.setProperty(EVENT_LOOPS, Integer.toString(Runtime.getRuntime().availableProcessors()));
        }
    }
}
