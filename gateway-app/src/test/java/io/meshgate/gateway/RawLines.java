package io.meshgate.gateway;

import java.io.IOException;
import java.io.InputStream;

/** Reading a raw HTTP/1.1 answer off a socket, for tests that speak HTTP by hand. */
final class RawLines {

    private RawLines() {
    }

    /** One line (a status line, say), without its line end; what was read if the connection closed first. */
    static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            line.append((char) b);
        }
        return line.toString().strip();
    }
}
