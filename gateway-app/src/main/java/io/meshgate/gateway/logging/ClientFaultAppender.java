package io.meshgate.gateway.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxy;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.helpers.MessageFormatter;

/**
 * The one appender of the {@link ClientFaultLogging#GOVERNED} loggers. Of their warnings and errors, those that are
 * {@link ClientFault#CLIENT client-caused} (a request that fails to decode, a peer that closed or reset its
 * connection, a WebSocket upgrade the backend refused and the client got the answer of) are replaced by at most one
 * line on the logger {@value ClientFaultLogging#LOGGER}: at most {@value ClientFaultLine#MAX_CHARS} characters,
 * control and non-ASCII characters escaped, no stack trace (only the exception's class and message), and at most one
 * line per governed logger every {@link RateLimitedLog#WINDOW} with the count of the lines suppressed since the last
 * one. The line is built only when the window lets it through. Every other event (an unhandled error of the gateway,
 * an unexpected upstream failure, a debug line) goes to the root logger's appenders as it is, stack trace included.
 */
final class ClientFaultAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

    private final Map<String, RateLimitedLog> kinds = new ConcurrentHashMap<>();

    @Override
    protected void append(ILoggingEvent event) {
        LoggerContext loggers = (LoggerContext) getContext();
        if (event.getLevel().isGreaterOrEqual(Level.WARN)) {
            Object[] params = event.getArgumentArray();
            Throwable error = ClientFault.errorOf(thrown(event.getThrowableProxy()), params);
            if (ClientFault.of(event.getMessage(), params, error) == ClientFault.CLIENT) {
                kinds.computeIfAbsent(event.getLoggerName(), name -> new RateLimitedLog(
                        loggers.getLogger(ClientFaultLogging.LOGGER), System::nanoTime))
                        .log(event.getLevel(), () -> line(event, error));
                return;
            }
        }
        loggers.getLogger(Logger.ROOT_LOGGER_NAME).callAppenders(event);
    }

    private static @Nullable Throwable thrown(@Nullable IThrowableProxy proxy) {
        return proxy instanceof ThrowableProxy thrown ? thrown.getThrowable() : null;
    }

    private static String line(ILoggingEvent event, @Nullable Throwable error) {
        String format = event.getMessage();
        Object[] params = event.getArgumentArray();
        String message = format == null || params == null ? format
                : MessageFormatter.arrayFormat(format, params).getMessage();
        String logger = event.getLoggerName();
        return ClientFaultLine.of(logger.substring(logger.lastIndexOf('.') + 1), message, error);
    }
}
