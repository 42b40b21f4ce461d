package io.meshgate.gateway.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Marker;
import org.slf4j.helpers.MessageFormatter;

/**
 * Bounds the log lines that a client can cause. Warnings and errors of the loggers that report what one connection
 * or request did ({@link #GOVERNED}) carry client bytes (a request line, a path, a header) and stack traces of
 * several kilobytes, once per request: a hostile client turns them into a flood. Of their events, those that are
 * {@link ClientFault#CLIENT client-caused} (a request that fails to decode, a peer that closed or reset its
 * connection, a WebSocket upgrade the backend refused and the client got the answer of) are replaced by at most one
 * line on the logger {@code meshgate.client-faults}: at most {@value ClientFaultLine#MAX_CHARS} characters, control
 * and non-ASCII characters escaped, no stack trace (only the exception's class and message), and at most one line
 * per governed logger every {@link RateLimitedLog#WINDOW} with the count of the lines suppressed since the last one.
 * The line is built only when the window lets it through. Every other event (an unhandled error of the gateway, an
 * unexpected upstream failure) is logged as it is, with its stack trace. Debug events are not touched.
 */
public final class ClientFaultLogFilter extends TurboFilter {

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

    private final Map<String, RateLimitedLog> kinds = new ConcurrentHashMap<>();

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
            Throwable t) {
        // every logger call passes here, isDebugEnabled() checks too: the cheapest tests first. Without a format and
        // a throwable it is an isWarnEnabled() check, and the event that follows is the one to decide on
        if (level == null || !level.isGreaterOrEqual(Level.WARN) || format == null && t == null
                || !GOVERNED.contains(logger.getName())) {
            return FilterReply.NEUTRAL;
        }
        Throwable error = ClientFault.errorOf(t, params);
        if (ClientFault.of(format, params, error) != ClientFault.CLIENT) {
            return FilterReply.NEUTRAL;
        }
        kinds.computeIfAbsent(logger.getName(), name -> new RateLimitedLog(logger.getLoggerContext()
                .getLogger(LOGGER), System::nanoTime)).log(level, () -> line(logger, format, params, error));
        return FilterReply.DENY;
    }

    private static String line(Logger logger, String format, Object[] params, Throwable error) {
        String message = format == null || params == null ? format
                : MessageFormatter.arrayFormat(format, params).getMessage();
        return ClientFaultLine.of(shortName(logger.getName()), message, error);
    }

    private static String shortName(String logger) {
        return logger.substring(logger.lastIndexOf('.') + 1);
    }
}
