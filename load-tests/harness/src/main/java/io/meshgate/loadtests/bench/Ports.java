package io.meshgate.loadtests.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The loopback ports of one run, all at fixed offsets from a base, so that a run never takes a port by chance and
 * two runs with different bases never meet.
 */
public record Ports(int base) {

    private static final int SPAN = 70;

    public Ports {
        if (base < 1024 || base + SPAN > 65535) {
            throw new IllegalArgumentException("port base: " + base + " (expected: 1024 to " + (65535 - SPAN) + ")");
        }
    }

    /** The first base from {@code from} on (in steps of 100) whose ports are all free. */
    public static Ports firstFree(int from) {
        for (int base = from; base + SPAN <= 65535; base += 100) {
            Ports ports = new Ports(base);
            if (ports.busy().isEmpty()) {
                return ports;
            }
        }
        throw new IllegalStateException("no free block of " + SPAN + " ports from " + from);
    }

    /** Ports of this plan that something already listens on. */
    public List<Integer> busy() {
        return IntStream.range(base, base + SPAN).filter(port -> !free(port)).boxed().toList();
    }

    public int backend() {
        return base;
    }

    /** The two canary backends (v1, v2): same answer as {@link #backend()}, each counting its requests. */
    public int canary(int version) {
        return base + version;
    }

    public int nginx() {
        return base + 10;
    }

    public int nginxTls() {
        return base + 11;
    }

    public int haproxy() {
        return base + 20;
    }

    public int haproxyTls() {
        return base + 21;
    }

    public int plainScg() {
        return base + 30;
    }

    public int gateway() {
        return base + 40;
    }

    public int gatewayTls() {
        return base + 41;
    }

    public int gatewayManagement() {
        return base + 42;
    }

    /** First of the three backends the backend-kill benchmark starts in its own process. */
    public int killBackends() {
        return base + 50;
    }

    /** Gateway (+0, management +2) and plain Spring Cloud Gateway (+3) started over and over for time to ready. */
    public int startup() {
        return base + 60;
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
