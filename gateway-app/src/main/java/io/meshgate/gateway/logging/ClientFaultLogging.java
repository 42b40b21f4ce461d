package io.meshgate.gateway.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggerContextListener;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.spi.LifeCycle;
import java.util.Set;

/**
 * Bounds the log lines that a client can cause, declared in {@code logback-spring.xml} as
 * {@code <contextListener class="io.meshgate.gateway.logging.ClientFaultLogging"/>}. The loggers that report what one
 * connection or request did ({@link #GOVERNED}) carry client bytes (a request line, a path, a header) and stack
 * traces of several kilobytes, once per request: a hostile client turns them into a flood. When the configuration
 * starts, this gives them a {@link ClientFaultAppender} of their own in place of the root logger's appenders, so that
 * only the events they actually log are looked at. A turbo filter would do the same, but logback consults turbo
 * filters on every logger call of the process, {@code isDebugEnabled()} included.
 */
public final class ClientFaultLogging extends ContextAwareBase implements LoggerContextListener, LifeCycle {

    /** Where the bounded lines go. */
    public static final String LOGGER = "meshgate.client-faults";
    /** The loggers whose warnings and errors may be about one client's connection or request. */
    static final Set<String> GOVERNED = Set.of(
            "reactor.netty.http.server.HttpServerOperations",
            "reactor.netty.http.server.HttpTrafficHandler",
            "reactor.netty.http.server.HttpServer",
            "reactor.netty.http.client.HttpClientConnect",
            "reactor.netty.channel.ChannelOperationsHandler",
            "reactor.netty.channel.FluxReceive",
            "reactor.core.publisher.Operators",
            "org.springframework.web.server.adapter.HttpWebHandlerAdapter",
            "org.springframework.http.server.reactive.ReactorHttpHandlerAdapter");

    private boolean started;

    /** Attaches a started {@link ClientFaultAppender} to every governed logger of {@code loggers}, alone. */
    public static void install(LoggerContext loggers) {
        ClientFaultAppender appender = new ClientFaultAppender();
        appender.setContext(loggers);
        appender.setName("meshgate-client-faults");
        appender.start();
        for (String name : GOVERNED) {
            Logger logger = loggers.getLogger(name);
            logger.addAppender(appender);
            logger.setAdditive(false);
        }
    }

    @Override
    public void start() {
        install((LoggerContext) getContext());
        started = true;
    }

    @Override
    public void stop() {
        started = false;
    }

    @Override
    public boolean isStarted() {
        return started;
    }

    /** A reset detaches the appender with every other; the configuration that follows installs it again. */
    @Override
    public boolean isResetResistant() {
        return false;
    }

    @Override
    public void onStart(LoggerContext context) {
    }

    @Override
    public void onReset(LoggerContext context) {
    }

    @Override
    public void onStop(LoggerContext context) {
    }

    @Override
    public void onLevelChange(Logger logger, Level level) {
    }
}
