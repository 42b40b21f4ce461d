package io.meshgate.gateway.logging;

import java.io.IOException;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Whether a log event reports something a client (or the other end of a connection) did, rather than a fault of the
 * gateway: decided by what the event is, never by which logger wrote it, so that a real bug keeps its stack trace.
 * Decided without formatting the message: only the format's text and the exception's classes are looked at.
 */
enum ClientFault {
    /** Something the other end did: logged as one short, rate-limited line. */
    CLIENT,
    /** Anything else: logged as it is. */
    OTHER;

    /** How deep a cause chain is followed (and so a cycle ends). */
    private static final int MAX_CAUSES = 16;
    /** Netty's base class of decoder failures (TooLongFrameException, CorruptedFrameException are ones). */
    private static final String DECODER = "io.netty.handler.codec.DecoderException";
    /** Reactor-netty's and Netty's signals that a peer went away or refused what the gateway already answered. */
    private static final Set<String> PEER_GONE = Set.of(
            "reactor.netty.http.client.PrematureCloseException",
            "reactor.netty.channel.AbortedException",
            "io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException",
            "io.netty.handler.codec.http.websocketx.WebSocketHandshakeException");

    /** Netty's decoder failures that reactor-netty names only by their text ({@code Throwable.toString()}). */
    private static final Set<String> DECODER_NAMES = Set.of(DECODER,
            "io.netty.handler.codec.TooLongFrameException",
            "io.netty.handler.codec.CorruptedFrameException",
            "io.netty.handler.codec.http.TooLongHttpLineException",
            "io.netty.handler.codec.http.TooLongHttpHeaderException",
            "io.netty.handler.codec.http.TooLongHttpContentException",
            "io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException");

    static ClientFault of(@Nullable String format, Object @Nullable [] params, @Nullable Throwable error) {
        if (format != null && format.contains("Decoding failed")) {
            return CLIENT;
        }
        if (params != null) {
            for (Object param : params) {
                // reactor-netty's "observed post termination" warning gives the exception as its toString()
                if (param instanceof String text && namesClientFault(text)) {
                    return CLIENT;
                }
            }
        }
        Throwable cause = error;
        for (int depth = 0; cause != null && depth < MAX_CAUSES; depth++, cause = cause.getCause()) {
            if (isClientCaused(cause)) {
                return CLIENT;
            }
        }
        return OTHER;
    }

    private static boolean namesClientFault(String text) {
        int colon = text.indexOf(':');
        String name = colon < 0 ? text : text.substring(0, colon);
        return DECODER_NAMES.contains(name) || PEER_GONE.contains(name);
    }

    private static boolean isClientCaused(Throwable error) {
        for (Class<?> type = error.getClass(); type != null && type != Throwable.class; type = type.getSuperclass()) {
            String name = type.getName();
            if (name.equals(DECODER) || PEER_GONE.contains(name)) {
                return true;
            }
        }
        return error instanceof IOException && isReset(error.getMessage());
    }

    /** A connection reset or a write to a closed connection (the JDK's and Netty's native transports' wording). */
    private static boolean isReset(@Nullable String message) {
        if (message == null) {
            return false;
        }
        String text = message.toLowerCase(Locale.ROOT);
        return text.contains("connection reset") || text.contains("broken pipe");
    }

    /** The exception of an event: the one given, or the last parameter when it is one (as SLF4J reads it). */
    static @Nullable Throwable errorOf(@Nullable Throwable t, Object @Nullable [] params) {
        if (t != null || params == null || params.length == 0) {
            return t;
        }
        return params[params.length - 1] instanceof Throwable last ? last : null;
    }
}
