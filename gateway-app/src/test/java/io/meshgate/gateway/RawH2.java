package io.meshgate.gateway;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * An HTTP/2 client over cleartext (prior knowledge) that writes frames by hand on a blocking socket, so that a test
 * can behave as no well-mannered client would: never read, advertise a zero window, flood control frames.
 */
public final class RawH2 implements AutoCloseable {

    static final int DATA = 0;
    static final int HEADERS = 1;
    static final int RST_STREAM = 3;
    static final int SETTINGS = 4;
    static final int GOAWAY = 7;
    static final int WINDOW_UPDATE = 8;
    static final int SETTINGS_INITIAL_WINDOW_SIZE = 4;

    /** One frame as read. */
    record Frame(int type, int flags, int stream, byte[] payload) {
    }

    private final Socket socket;
    private final OutputStream out;

    /** Connects with the given receive buffer (small, for a client that reads nothing) and sends the preface. */
    public RawH2(int port, int receiveBuffer, int initialWindow) throws IOException {
        socket = new Socket();
        socket.setReceiveBufferSize(receiveBuffer);
        socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(10_000);
        out = socket.getOutputStream();
        out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        settings(new int[] {SETTINGS_INITIAL_WINDOW_SIZE, initialWindow});
        if (initialWindow > 65535) {
            // and the connection's window as large: only TCP holds the gateway back
            int increment = 1 << 30;
            frame(WINDOW_UPDATE, 0, 0, new byte[] {(byte) (increment >> 24), (byte) (increment >> 16),
                    (byte) (increment >> 8), (byte) increment});
        }
    }

    void settings(int[] pairs) throws IOException {
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        for (int i = 0; i < pairs.length; i += 2) {
            payload.write(pairs[i] >> 8);
            payload.write(pairs[i]);
            for (int shift = 24; shift >= 0; shift -= 8) {
                payload.write(pairs[i + 1] >> shift);
            }
        }
        frame(SETTINGS, 0, 0, payload.toByteArray());
    }

    /** A GET of {@code path} on stream {@code id}, headers only (HPACK literals without indexing). */
    public void get(int id, String authority, String path) throws IOException {
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        block.write(0x82); // :method GET
        block.write(0x86); // :scheme http
        literal(block, 4, path); // :path
        literal(block, 1, authority); // :authority
        frame(HEADERS, 0x4 | 0x1, id, block.toByteArray()); // END_HEADERS | END_STREAM
    }

    private static void literal(ByteArrayOutputStream block, int nameIndex, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        block.write(nameIndex); // literal without indexing, indexed name (index < 15)
        block.write(bytes.length); // no Huffman, length < 127
        block.write(bytes, 0, bytes.length);
    }

    void frame(int type, int flags, int stream, byte[] payload) throws IOException {
        out.write(header(type, flags, stream, payload.length));
        out.write(payload);
        out.flush();
    }

    static byte[] header(int type, int flags, int stream, int length) {
        return new byte[] {(byte) (length >> 16), (byte) (length >> 8), (byte) length, (byte) type, (byte) flags,
                (byte) (stream >> 24), (byte) (stream >> 16), (byte) (stream >> 8), (byte) stream};
    }

    Frame read() throws IOException {
        DataInputStream in = new DataInputStream(socket.getInputStream());
        byte[] head = new byte[9];
        in.readFully(head);
        int length = (head[0] & 0xff) << 16 | (head[1] & 0xff) << 8 | head[2] & 0xff;
        byte[] payload = new byte[length];
        in.readFully(payload);
        int stream = ((head[5] & 0x7f) << 24) | (head[6] & 0xff) << 16 | (head[7] & 0xff) << 8 | head[8] & 0xff;
        return new Frame(head[3] & 0xff, head[4] & 0xff, stream, payload);
    }

    OutputStream out() {
        return out;
    }

    Socket socket() {
        return socket;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
