package io.meshgate.gateway.proxy;

import reactor.netty.channel.AbortedException;

/**
 * The client's request body ended in error (it failed to decode, or the client went away before its end): the
 * upstream request is reset, never finished, and no upstream failure is answered, as the client is gone or was
 * answered 400 already. Its cause is an {@link AbortedException}, which Spring logs as a lost client, at debug.
 */
public final class ClientBodyException extends RuntimeException {

    ClientBodyException(String reason) {
        super(reason, new AbortedException(reason));
    }
}
