package io.meshgate.gateway.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.handler.codec.TooLongFrameException;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The governed loggers' appender decides by what an event is: a client-caused failure becomes one short rate-limited line, built only
 * when it is written; a gateway fault logged on the same loggers keeps its message and stack trace.
 */
class ClientFaultLoggingRulesTest {

    private static final String HANDLER_ADAPTER = "org.springframework.web.server.adapter.HttpWebHandlerAdapter";

    private final LoggerContext context = new LoggerContext();
    private final ListAppender<ILoggingEvent> events = new ListAppender<>();

    @BeforeEach
    void setUp() {
        ClientFaultLogging.install(context);
        events.setContext(context);
        events.start();
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(events);
    }

    @Test
    void aGatewayFaultOnAGovernedLoggerKeepsItsStackTrace() {
        Logger logger = context.getLogger(HANDLER_ADAPTER);
        logger.error("[1] Error [java.lang.IllegalStateException: bug] for HTTP GET \"/\"",
                new IllegalStateException("bug"));
        logger.error("[2] Error [java.lang.IllegalStateException: bug] for HTTP GET \"/\"",
                new IllegalStateException("bug"));

        assertThat(events.list).hasSize(2).allSatisfy(event -> {
            assertThat(event.getLoggerName()).isEqualTo(HANDLER_ADAPTER);
            assertThat(event.getThrowableProxy()).isNotNull();
            assertThat(event.getThrowableProxy().getClassName()).isEqualTo(IllegalStateException.class.getName());
        });
    }

    @Test
    void clientCausedEventsBecomeOneShortLinePerWindow() {
        Logger logger = context.getLogger(HANDLER_ADAPTER);
        logger.warn("failed", new IllegalArgumentException("wrapped", new TooLongFrameException("line too long")));
        logger.warn("failed", new IOException("recvAddress(..) failed: Connection reset by peer"));
        context.getLogger("reactor.netty.http.server.HttpServerOperations").warn("[id] Decoding failed: {}", "x");

        assertThat(events.list).hasSize(2).allSatisfy(event -> {
            assertThat(event.getLoggerName()).isEqualTo(ClientFaultLogging.LOGGER);
            assertThat(event.getThrowableProxy()).isNull();
        });
        assertThat(events.list.get(0).getFormattedMessage()).contains("IllegalArgumentException: wrapped");
    }

    @Test
    void theLineIsBuiltOnlyWhenTheWindowLetsItThrough() {
        AtomicInteger formatted = new AtomicInteger();
        Object request = new Object() {
            @Override
            public String toString() {
                formatted.incrementAndGet();
                return "GET /";
            }
        };
        Logger logger = context.getLogger("reactor.netty.http.server.HttpServerOperations");
        for (int i = 0; i < 100; i++) {
            logger.warn("[id] Decoding failed: {}", request, new TooLongFrameException("too long"));
        }

        assertThat(events.list).hasSize(1);
        assertThat(formatted).hasValue(1);
    }

    @Test
    void ungovernedLoggersAreUntouched() {
        context.getLogger("io.meshgate.gateway.Something").warn("failed", new TooLongFrameException("too long"));

        assertThat(events.list).singleElement().satisfies(event ->
                assertThat(event.getThrowableProxy()).isNotNull());
    }
}
