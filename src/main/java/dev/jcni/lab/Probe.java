package dev.jcni.lab;

import dev.jcni.netlink.NetNs;

import java.io.IOException;
import java.net.InetAddress;

/**
 * One reachability check: an ICMP echo sent from inside a namespace ({@code InetAddress.isReachable}
 * opens its raw socket on a thread that is in that namespace), timed. The first echo may wait for
 * ARP, so a miss is retried.
 */
public record Probe(String from, String to, boolean ok, double millis) {

    public static Probe run(String fromName, String fromNs, String toName, InetAddress to) {
        for (int attempt = 0; attempt < 3; attempt++) {
            // Timed inside the namespace's thread: the thread's own start is not the network's latency.
            double ms = NetNs.run(NetNs.pathOf(fromNs), () -> {
                long t0 = System.nanoTime();
                try {
                    return to.isReachable(1000) ? (System.nanoTime() - t0) / 1e6 : -1.0;
                } catch (IOException e) {
                    return -1.0;
                }
            });
            if (ms >= 0) return new Probe(fromName, toName, true, ms);
        }
        return new Probe(fromName, toName, false, 0);
    }

    public String cell() { return ok ? String.format("✓ %.1fms", millis) : "✗"; }
}
