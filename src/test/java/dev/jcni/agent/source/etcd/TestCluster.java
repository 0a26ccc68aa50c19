package dev.jcni.agent.source.etcd;

import dev.jcni.ipam.IpAddresses;
import dev.jcni.ipam.IpPrefix;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Sources of one test sharing one etcd under one key prefix, plus an admin client to look and meddle. */
final class TestCluster implements AutoCloseable {
    static final IpPrefix CLUSTER = IpPrefix.parse("10.244.0.0/16");
    static final Duration WAIT = Duration.ofSeconds(15);

    /** One running source and what it delivered. */
    record Node(EtcdSource source, Snapshots snapshots, EtcdConfig config) {
        IpPrefix awaitCidr() {
            Snapshots.Await.until(config.nodeName() + " to claim a block", () -> source.ownCidr().isPresent(), WAIT,
                    () -> "status " + source.status());
            return source.ownCidr().orElseThrow();
        }
    }

    private final URI endpoint;
    private final Path stateRoot;
    private final SubnetKeys keys;
    private final String prefix;
    private final Client admin;
    private final List<Node> nodes = new ArrayList<>();

    TestCluster(URI endpoint, Path stateRoot, String prefix) {
        this.endpoint = endpoint;
        this.stateRoot = stateRoot;
        this.prefix = prefix;
        this.keys = new SubnetKeys(prefix);
        this.admin = Client.builder().endpoints(endpoint).build();
    }

    EtcdConfig config(String name, String ip, Duration ttl) {
        return new EtcdConfig(List.of(endpoint), name, IpAddresses.parse(ip), CLUSTER, 24,
                stateRoot.resolve(name), ttl, prefix);
    }

    Node start(String name, String ip, Duration ttl) {
        return start(config(name, ip, ttl));
    }

    synchronized Node start(EtcdConfig config) {
        Snapshots snaps = new Snapshots();
        EtcdSource source = new EtcdSource(config);
        Node n = new Node(source, snaps, config);
        nodes.add(n);
        source.start(snaps);
        return n;
    }

    synchronized List<Node> nodes() {
        return List.copyOf(nodes);
    }

    SubnetKeys keys() {
        return keys;
    }

    Optional<KeyValue> get(String key) {
        try {
            List<KeyValue> kvs = admin.getKVClient().get(bytes(key)).get(5, TimeUnit.SECONDS).getKvs();
            return kvs.stream().findFirst();
        } catch (Exception e) {
            throw new AssertionError("get " + key + ": " + e, e);
        }
    }

    List<KeyValue> subnets() {
        try {
            return admin.getKVClient().get(bytes(keys.subnetsPrefix()), GetOption.builder().isPrefix(true).build())
                    .get(5, TimeUnit.SECONDS).getKvs();
        } catch (Exception e) {
            throw new AssertionError("list subnets: " + e, e);
        }
    }

    void delete(String key) {
        try {
            admin.getKVClient().delete(bytes(key)).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("delete " + key + ": " + e, e);
        }
    }

    /** Revokes the lease holding {@code cidr}'s key, as an admin would for a dead node; returns the lease. */
    long revokeLeaseOf(IpPrefix cidr) {
        long lease = get(keys.subnetKey(cidr)).orElseThrow(() -> new AssertionError(cidr + " is not held")).getLease();
        try {
            admin.getLeaseClient().revoke(lease).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("revoke " + Long.toHexString(lease) + ": " + e, e);
        }
        return lease;
    }

    void awaitReleased(IpPrefix cidr, Duration timeout) {
        Snapshots.Await.until(cidr + " to be released", () -> get(keys.subnetKey(cidr)).isEmpty(), timeout,
                () -> "still " + get(keys.subnetKey(cidr)).map(k -> text(k.getValue())).orElse("gone"));
    }

    static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    static String text(ByteSequence b) {
        return b.toString(StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void close() {
        for (Node n : nodes) {
            n.source().close();
        }
        admin.close();
    }
}
