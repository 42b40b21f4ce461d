package io.meshgate.gateway.ratelimit;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * An IPv4 or IPv6 address range, {@code address/prefix-length}; an address alone is the range of that one address.
 * Only IP literals are taken (a dotted quad, an IPv6 literal without brackets or zone): never a host name, so parsing
 * asks no DNS, and an empty address is an error rather than loopback. This is the grammar the translator checks
 * RateLimitPolicy CIDRs against (there the prefix length is required). An IPv4 address given as IPv6 (mapped) is
 * compared as IPv4.
 */
public record Cidr(byte[] network, int prefixLength) {

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    /** The length of the prefix {@code ::ffff:0:0/96} of IPv4-mapped IPv6 addresses. */
    private static final int MAPPED_PREFIX = 96;
    private static final Pattern PREFIX_LENGTH = Pattern.compile("\\d{1,3}");

    /** The range, or an {@link IllegalArgumentException} saying what is wrong with it. */
    public static Cidr parse(String cidr) {
        int slash = cidr.indexOf('/');
        String address = slash < 0 ? cidr : cidr.substring(0, slash);
        byte[] bytes = literal(address);
        if (bytes == null) {
            throw new IllegalArgumentException("not an IP address (an IPv4 or IPv6 literal, no host name): \""
                    + cidr + "\"");
        }
        String prefix = slash < 0 ? null : cidr.substring(slash + 1);
        if (prefix != null && !PREFIX_LENGTH.matcher(prefix).matches()) {
            throw new IllegalArgumentException("not a prefix length: \"" + cidr + "\"");
        }
        int length = prefix == null ? bytes.length * 8 : Integer.parseInt(prefix);
        if (length > bytes.length * 8) {
            throw new IllegalArgumentException("prefix length out of range: \"" + cidr + "\"");
        }
        if (isMapped(bytes) && length >= MAPPED_PREFIX) {
            // peers come as IPv4 addresses: a range within ::ffff:0:0/96 is the IPv4 range it maps
            return new Cidr(Arrays.copyOfRange(bytes, 12, 16), length - MAPPED_PREFIX);
        }
        return new Cidr(bytes, length);
    }

    private static byte @Nullable [] literal(String address) {
        var v4 = IPV4.matcher(address);
        if (v4.matches()) {
            byte[] bytes = new byte[4];
            for (int i = 0; i < 4; i++) {
                int octet = Integer.parseInt(v4.group(i + 1));
                if (octet > 255) {
                    return null;
                }
                bytes[i] = (byte) octet;
            }
            return bytes;
        }
        if (!IPV6.matcher(address).matches()) {
            return null;
        }
        byte[] bytes;
        try {
            // in brackets InetAddress takes only an IPv6 literal and never asks DNS
            bytes = InetAddress.getByName("[" + address + "]").getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
        if (bytes.length == 4) {
            // an IPv4-mapped literal, which InetAddress gives as IPv4: kept as the 16 bytes that were written
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xff;
            mapped[11] = (byte) 0xff;
            System.arraycopy(bytes, 0, mapped, 12, 4);
            return mapped;
        }
        return bytes;
    }

    private static boolean isMapped(byte[] bytes) {
        if (bytes.length != 16 || bytes[10] != (byte) 0xff || bytes[11] != (byte) 0xff) {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    public boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length != network.length) {
            return false;
        }
        int full = prefixLength / 8;
        for (int i = 0; i < full; i++) {
            if (bytes[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (bytes[full] & mask) == (network[full] & mask);
    }
}
