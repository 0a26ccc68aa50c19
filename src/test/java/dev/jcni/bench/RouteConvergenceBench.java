package dev.jcni.bench;

import dev.jcni.netlink.IpNet;
import dev.jcni.netlink.Netlink;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.PutOption;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static dev.jcni.netlink.codec.Rtnl.AF_INET;

/**
 * Route convergence with N nodes in etcd (run by bench/route-convergence inside a namespace of its
 * own, with etcd on its loopback). Prints figures; asserts nothing.
 *   1. N-1 peers are written to etcd the way agents publish themselves (leased subnet keys);
 *   2. a real agent (dist/bin/jcni agent, source etcd, host-gw) starts and converges;
 *   3. new peers appear one at a time: lease → route on the agent, timed by polling netlink;
 *   4. the agent's full-reconcile time (status.json) and resident memory are read.
 */
public final class RouteConvergenceBench {
    static final String PREFIX = "/jcni/subnets/";

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        Path jcni = Path.of(args[1]);
        Path work = Path.of(args[2]);
        try (Client etcd = Client.builder().endpoints("http://127.0.0.1:2379").build(); Netlink nl = Netlink.open()) {
            long lease = etcd.getLeaseClient().grant(3600).get().getID();
            long t0 = System.nanoTime();
            List<CompletableFuture<?>> puts = new ArrayList<>();
            for (int i = 1; i < n; i++) {
                puts.add(put(etcd, lease, i));
                if (puts.size() >= 256) { CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).get(); puts.clear(); }
            }
            CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).get();
            System.out.printf("wrote %d peer leases to etcd in %d ms%n", n - 1, (System.nanoTime() - t0) / 1_000_000);

            long start = System.nanoTime();
            Process agent = new ProcessBuilder(jcni.toString(), "agent", "--node-name", "self", "--node-ip", "10.0.0.1",
                    "--source", "etcd:http://127.0.0.1:2379", "--cluster-cidr", "10.128.0.0/9", "--node-cidr-size", "24",
                    "--backend", "host-gw", "--cni-conf-dir", work.resolve("net.d").toString(),
                    "--state-dir", work.resolve("state").toString(), "--metrics-addr", "off", "--resync", "30s", "--no-netfilter")
                    .redirectErrorStream(true).redirectOutput(work.resolve("agent.log").toFile()).start();
            try {
                waitRoutes(nl, n - 1, 120);
                System.out.printf("agent start → %d routes programmed: %d ms%n", n - 1, (System.nanoTime() - start) / 1_000_000);
                Thread.sleep(2000);

                long[] lat = new long[20];
                for (int k = 0; k < lat.length; k++) {
                    int i = n + k;
                    IpNet dst = cidr(i);
                    long s = System.nanoTime();
                    put(etcd, lease, i).get();
                    while (!hasRoute(nl, dst)) Thread.onSpinWait();
                    lat[k] = System.nanoTime() - s;
                    Thread.sleep(300);
                }
                Arrays.sort(lat);
                System.out.printf("new node lease → its route on the agent (%d samples): median %.0f ms, max %.0f ms (goal ≤ 1000 ms)%n",
                        lat.length, lat[lat.length / 2] / 1e6, lat[lat.length - 1] / 1e6);

                Thread.sleep(1500);
                String status = Files.readString(work.resolve("state/status.json"));
                String ms = status.replaceAll("(?s).*\"lastReconcileMillis\": (\\d+).*", "$1");
                System.out.printf("full reconcile with %d nodes, nothing to change (plan, diff, apply): %s ms (goal ≤ 2000 ms)%n", n + lat.length, ms);
                String rss = Files.readAllLines(Path.of("/proc/" + agent.pid() + "/status")).stream()
                        .filter(l -> l.startsWith("VmRSS")).findFirst().orElse("VmRSS: ?");
                System.out.printf("agent resident memory: %s (goal ≤ 150 MB)%n", rss.replaceAll("\\s+", " ").substring(7));
            } finally {
                agent.destroy();
                agent.waitFor();
                etcd.getLeaseClient().revoke(lease).get();
            }
        }
    }

    /** Peer i: node "p<i>" at 10.0.x.y with pod block 10.128.0.0/9 + i×/24. */
    static CompletableFuture<?> put(Client etcd, long lease, int i) {
        IpNet c = cidr(i);
        String key = PREFIX + c.ip().getHostAddress() + "-24";
        String value = "{\"node\":\"p" + i + "\",\"ip\":\"10.0." + ((i + 1) / 250) + "." + ((i + 1) % 250 + 2) + "\"}";
        return etcd.getKVClient().put(bytes(key), bytes(value), PutOption.builder().withLeaseId(lease).build());
    }

    static IpNet cidr(int i) {
        return IpNet.parse("10." + (128 + i / 256) + "." + (i % 256) + ".0/24");
    }

    static ByteSequence bytes(String s) { return ByteSequence.from(s, StandardCharsets.UTF_8); }

    static boolean hasRoute(Netlink nl, IpNet dst) {
        return nl.routes().get(dst.ip()).map(r -> r.gateway() != null).orElse(false);
    }

    static void waitRoutes(Netlink nl, int want, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            long have = nl.routes().listMain(AF_INET).stream().filter(r -> r.protocol() == 98).count();
            if (have >= want) return;
            Thread.sleep(20);
        }
        throw new IllegalStateException("agent did not program " + want + " routes in " + seconds + " s");
    }

}
