package io.meshgate.gateway.tls;

/** A credential that cannot be used: unreadable files, no certificate, a key of another certificate. */
public final class InvalidCredentialException extends RuntimeException {

    public InvalidCredentialException(String message) {
        super(message);
    }
}
