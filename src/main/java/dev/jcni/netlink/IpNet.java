package dev.jcni.netlink;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** An address with a prefix length, as in {@code 10.240.0.5/24}; host bits are kept. */
public record IpNet(InetAddress ip, int prefixLength) {
    public IpNet {
        int max = ip instanceof Inet4Address ? 32 : 128;
        if (prefixLength < 0 || prefixLength > max) throw new IllegalArgumentException("prefix /" + prefixLength + " for " + ip);
    }

    public static IpNet parse(String cidr) {
        int slash = cidr.indexOf('/');
        InetAddress ip = Inet.parse(slash < 0 ? cidr : cidr.substring(0, slash));
        int len = slash < 0 ? (ip instanceof Inet4Address ? 32 : 128) : Integer.parseInt(cidr.substring(slash + 1));
        return new IpNet(ip, len);
    }

    public static IpNet host(InetAddress ip) { return new IpNet(ip, ip instanceof Inet4Address ? 32 : 128); }

    public boolean isIpv6() { return !(ip instanceof Inet4Address); }

    public int family() { return isIpv6() ? 10 : 2; }

    /** The network address: host bits cleared. */
    public IpNet network() {
        byte[] b = ip.getAddress();
        for (int i = 0; i < b.length; i++) {
            int keep = Math.max(0, Math.min(8, prefixLength - i * 8));
            b[i] &= (byte) (0xff << (8 - keep));
        }
        try { return new IpNet(InetAddress.getByAddress(b), prefixLength); }
        catch (UnknownHostException e) { throw new IllegalStateException(e); }
    }

    public boolean contains(InetAddress other) {
        if ((other instanceof Inet4Address) == isIpv6()) return false;
        return new IpNet(other, prefixLength).network().equals(network());
    }

    @Override
    public String toString() { return Inet.format(ip) + "/" + prefixLength; }
}
