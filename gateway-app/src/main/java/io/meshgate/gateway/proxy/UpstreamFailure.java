package io.meshgate.gateway.proxy;

import java.io.IOException;
import java.net.ConnectException;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import reactor.netty.channel.AbortedException;

/**
 * The ways a try can fail before a response started, with the answer Envoy gives for each when it is the last
 * try: status, response flag and body.
 */
public enum UpstreamFailure {

    /** The connection could not be made: refused, unreachable, connect timeout. */
    CONNECT_FAILURE(503, "UF", "upstream connect error or disconnect/reset before headers. reset reason: "
            + "connection failure"),
    /** The connection was reset or closed before the response headers (premature close). */
    RESET(503, "UC", "upstream connect error or disconnect/reset before headers. reset reason: "
            + "connection termination"),
    /** The backend answered something that is not HTTP: Envoy answers 502 with response flag UPE. */
    PROTOCOL_ERROR(502, "UPE", "upstream connect error or disconnect/reset before headers. reset reason: "
            + "protocol error"),
    /** The try's timeout ({@code perTryTimeout}) passed before the response headers. */
    TIMEOUT(504, "UT", "upstream request timeout");

    private final int status;
    private final String flag;
    private final String body;

    UpstreamFailure(int status, String flag, String body) {
        this.status = status;
        this.flag = flag;
        this.body = body;
    }

    /**
     * The failure an error of the proxy stands for, if it is one. A connect failure is looked for first, as it is
     * also an {@link IOException}.
     */
    public static Optional<UpstreamFailure> of(Throwable error) {
        if (error instanceof ClientBodyException) {
            // the client broke its own request: nothing to answer it, and no try to make again
            return Optional.empty();
        }
        // a TLS handshake with the upstream that fails is a connection failure to Envoy (UF, "TLS error")
        if (causedBy(error, e -> e instanceof ConnectException || e instanceof javax.net.ssl.SSLException)) {
            return Optional.of(CONNECT_FAILURE);
        }
        if (causedBy(error, e -> e instanceof TimeoutException
                || e instanceof io.netty.handler.timeout.TimeoutException)) {
            return Optional.of(TIMEOUT);
        }
        if (causedBy(error, UpstreamFailure::isDecodingError)) {
            return Optional.of(PROTOCOL_ERROR);
        }
        if (causedBy(error, e -> e instanceof IOException || e instanceof AbortedException)) {
            return Optional.of(RESET);
        }
        return Optional.empty();
    }

    /** Netty reports a response it cannot parse as the parser's own exception, thrown from its HTTP codec. */
    private static boolean isDecodingError(Throwable error) {
        if (error instanceof io.netty.handler.codec.DecoderException) {
            return true;
        }
        if (!(error instanceof IllegalArgumentException)) {
            return false;
        }
        StackTraceElement[] frames = error.getStackTrace();
        for (int i = 0; i < Math.min(frames.length, 8); i++) {
            if (frames[i].getClassName().startsWith("io.netty.handler.codec.http")) {
                return true;
            }
        }
        return false;
    }

    private static boolean causedBy(Throwable error, Predicate<Throwable> test) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (test.test(cause)) {
                return true;
            }
        }
        return false;
    }

    public int status() {
        return status;
    }

    public String flag() {
        return flag;
    }

    public String body() {
        return body;
    }
}
