package io.meshgate.gateway.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Marker;
import org.slf4j.helpers.MessageFormatter;

/**
 * Bounds the log lines that a client can cause. Warnings and errors of the loggers that report what one connection
 * or request did ({@link #GOVERNED}: reactor-netty's decoding failures and connection errors, Spring's unhandled
 * request errors, Reactor's dropped errors) carry client bytes (a request line, a path, a header) and stack traces
 * of several kilobytes, once per request: a hostile client turns them into a flood. Each such event is replaced by
 * at most one line on the logger {@code meshgate.client-faults}: at most {@value ClientFaultLine#MAX_CHARS}
 * characters, control and non-ASCII characters escaped, no stack trace (only the exception's class and message), and
 * at most one line per governed logger every {@link RateLimitedLog#WINDOW} with the count of the lines suppressed
 * since the last one. The same events at debug level, for an operator who enables it on those loggers, are not
 * touched.
 */
public final class ClientFaultLogFilter extends TurboFilter {

    /** Where the bounded lines go. */
    public static final String LOGGER = "meshgate.client-faults";
    /** The loggers whose warnings and errors are about one client's connection or request. */
    static final List<String> GOVERNED = List.of(
            "reactor.netty.http.server.HttpServerOperations",
            "reactor.netty.http.server.HttpTrafficHandler",
            "reactor.netty.http.server.HttpServer",
            "reactor.netty.http.client.HttpClientConnect",
            "reactor.netty.channel.ChannelOperationsHandler",
            "reactor.netty.channel.FluxReceive",
            "reactor.core.publisher.Operators",
            "org.springframework.web.server.adapter.HttpWebHandlerAdapter",
            "org.springframework.http.server.reactive.ReactorHttpHandlerAdapter",
            "org.springframework.cloud.gateway.filter.WebsocketRoutingFilter");

    private final Map<String, RateLimitedLog> kinds = new ConcurrentHashMap<>();

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
            Throwable t) {
        if (level == null || !level.isGreaterOrEqual(Level.WARN) || !GOVERNED.contains(logger.getName())) {
            return FilterReply.NEUTRAL;
        }
        if (format == null && t == null) {
            // an isWarnEnabled() check: the event that follows is the one to bound
            return FilterReply.NEUTRAL;
        }
        Throwable error = t;
        String message = format;
        if (format != null && params != null) {
            var formatted = MessageFormatter.arrayFormat(format, params);
            message = formatted.getMessage();
            error = error != null ? error : formatted.getThrowable();
        }
        String line = ClientFaultLine.of(shortName(logger.getName()), message, error);
        kinds.computeIfAbsent(logger.getName(), name -> new RateLimitedLog(logger.getLoggerContext()
                .getLogger(LOGGER), System::nanoTime)).log(level, line);
        return FilterReply.DENY;
    }

    private static String shortName(String logger) {
        return logger.substring(logger.lastIndexOf('.') + 1);
    }
}
