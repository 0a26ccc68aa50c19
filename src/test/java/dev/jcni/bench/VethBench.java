package dev.jcni.bench;

import dev.jcni.netlink.LinkSpec;
import dev.jcni.netlink.NetNs;
import dev.jcni.netlink.Netlink;

import java.io.IOException;
import java.util.Arrays;

/**
 * Create+delete a veth pair N times through the netlink facade, then through `ip` processes, in a
 * namespace of its own. Prints figures; asserts nothing. Run with bench/netlink-veth.
 */
public final class VethBench {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        String ns = "jbench" + ProcessHandle.current().pid();
        NetNs.create(ns);
        try (Netlink nl = Netlink.openIn(NetNs.pathOf(ns))) {
            for (int i = 0; i < 50; i++) cycle(nl); // JIT warm-up, as a long-running agent would be
            long[] facade = new long[n];
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                cycle(nl);
                facade[i] = System.nanoTime() - t0;
            }
            long[] ip = new long[n];
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                run("ip", "-n", ns, "link", "add", "bv0", "type", "veth", "peer", "name", "bv1");
                run("ip", "-n", ns, "link", "del", "bv0");
                ip[i] = System.nanoTime() - t0;
            }
            System.out.printf("veth create+delete, %d cycles%n", n);
            System.out.printf("  netlink facade (in-process): median %8.1f us  p90 %8.1f us%n", pct(facade, 50), pct(facade, 90));
            System.out.printf("  ip link add/del (processes): median %8.1f us  p90 %8.1f us%n", pct(ip, 50), pct(ip, 90));
            System.out.printf("  ratio ip/facade (median): %.1fx%n", pct(ip, 50) / pct(facade, 50));
        } finally {
            NetNs.delete(ns);
        }
    }

    private static void cycle(Netlink nl) {
        nl.links().add(new LinkSpec.Veth("bv0", "bv1", 0));
        nl.links().del("bv0");
    }

    private static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        if (p.waitFor() != 0) throw new IllegalStateException(String.join(" ", cmd) + " failed");
    }

    private static double pct(long[] v, int p) {
        long[] s = v.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, s.length * p / 100)] / 1000.0;
    }
}
