package io.meshgate.gateway.proxy;

import reactor.netty.channel.AbortedException;

/**
 * The client's request body ended in error (it failed to decode, or the client went away before its end): the
 * upstream request is reset, never finished, and no upstream failure is answered, as the client is gone or was
 * answered 400 already. Its cause is an {@link AbortedException}, which Spring logs as a lost client, at debug.
 */
public final class ClientBodyException extends RuntimeException {

    private final boolean undecodable;

    ClientBodyException(String reason, boolean undecodable) {
        super(reason, new AbortedException(reason));
        this.undecodable = undecodable;
    }

    /** Envoy's response flag: DPE (downstream protocol error) for bytes that did not decode, else DC. */
    String flag() {
        return undecodable ? "DPE" : "DC";
    }

    /** What the exchange reports as its status: the 400 reactor-netty answered, or nothing for a client gone. */
    int status() {
        return undecodable ? 400 : 0;
    }
}
