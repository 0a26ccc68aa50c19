package dev.jcni.plugin;

import dev.jcni.ipam.ReservationKey;
import dev.jcni.spec.Attachment;
import dev.jcni.spec.CniException;
import dev.jcni.spec.CniRequest;
import dev.jcni.spec.Command;
import dev.jcni.spec.IpConfig;
import dev.jcni.spec.NetConf;
import dev.jcni.spec.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The built-in address source against its disk store in a temp dataDir (no root): allocation, DEL's
 * release, CHECK against the store, STATUS, and which reservations GC selects for release.
 */
class BuiltinAddressesTest {
    @TempDir
    Path tmp;

    private String conf(String extraKeys) {
        return "{\"cniVersion\":\"1.1.0\",\"name\":\"net1\",\"type\":\"jcni\",\"dataDir\":\"" + tmp.resolve("data") + "\""
                + extraKeys + "}";
    }

    private static CniRequest request(Command command, String containerId, String ifname, String conf) {
        byte[] stdin = conf.getBytes(StandardCharsets.UTF_8);
        return new CniRequest(command, containerId, containerId == null ? null : "/run/netns/x", ifname, Map.of(),
                List.of("/opt/cni/bin"), NetConf.parse(stdin), stdin, Map.of());
    }

    private BuiltinAddresses source(String conf) {
        return new BuiltinAddresses(PluginConfig.from(NetConf.parse(conf.getBytes(StandardCharsets.UTF_8))));
    }

    private static final String V4 = ",\"podcidr\":\"10.240.0.0/24\"";
    private static final String DUAL = ",\"podcidrs\":[\"10.240.0.0/24\",\"fd00:10:240::/64\"]";

    private Path networkDir() { return tmp.resolve("data/net1"); }

    private Lease allocate(String keys, String containerId, String ifname) {
        String conf = conf(keys);
        return source(conf).allocate(request(Command.ADD, containerId, ifname, conf));
    }

    private Lease allocate(String containerId) { return allocate(V4, containerId, "eth0"); }

    @Test
    void allocatesTheFirstPodAddressWithTheGatewayAndAFile() throws IOException {
        Lease l = allocate("c1");
        assertEquals(1, l.addresses().size());
        assertEquals("10.240.0.2/24", l.addresses().getFirst().address().toString());
        assertEquals("10.240.0.1", l.addresses().getFirst().gateway().getHostAddress());
        assertEquals(List.of(), l.routes(), "the built-in source leaves routes to the result builder");
        assertEquals("c1\neth0", Files.readString(networkDir().resolve("10.240.0.2")));
    }

    @Test
    void allocationIsIdempotentPerAttachment() {
        assertEquals(allocate("c1"), allocate("c1"));
        assertEquals("10.240.0.3/24", allocate("c2").addresses().getFirst().address().toString());
        assertEquals("10.240.0.4/24", allocate(V4, "c1", "net1").addresses().getFirst().address().toString(),
                "another ifname of the same container is another attachment");
    }

    @Test
    void dualStackGetsOneAddressPerFamily() {
        Lease l = allocate(DUAL, "c1", "eth0");
        assertEquals(List.of("10.240.0.2/24", "fd00:10:240::2/64"), l.addresses().stream().map(a -> a.address().toString()).toList());
        assertEquals("fd00:10:240:0:0:0:0:1", l.addresses().get(1).gateway().getHostAddress());
        assertTrue(Files.exists(networkDir().resolve("fd00_10_240__2")));
    }

    @Test
    void releaseRemovesTheFilesAndIsIdempotent() {
        allocate(DUAL, "c1", "eth0");
        allocate(DUAL, "c2", "eth0");
        BuiltinAddresses s = source(conf(DUAL));
        CniRequest del = request(Command.DEL, "c1", "eth0", conf(DUAL));
        s.release(del);
        assertTrue(Files.notExists(networkDir().resolve("10.240.0.2")));
        assertTrue(Files.notExists(networkDir().resolve("fd00_10_240__2")));
        assertTrue(Files.exists(networkDir().resolve("10.240.0.3")), "another attachment's reservation stays");
        assertDoesNotThrow(() -> s.release(del));
        assertDoesNotThrow(() -> s.release(request(Command.DEL, "never-added", "eth0", conf(DUAL))));
    }

    @Test
    void poolExhaustionIsPluginCode110() {
        String tiny = ",\"podcidr\":\"10.240.0.0/30\""; // .1 gateway, .2 the only pod address
        allocate(tiny, "c1", "eth0");
        CniException e = assertThrows(CniException.class, () -> allocate(tiny, "c2", "eth0"));
        assertEquals(BuiltinAddresses.CODE_POOL_EXHAUSTED, e.code());
        assertTrue(e.msg().contains("10.240.0.0/30"), e.msg());
    }

    // ---- CHECK -------------------------------------------------------------------------------

    private static Result prev(IpConfig... ips) {
        return new Result(null, List.of(), List.of(ips), List.of(), null);
    }

    @Test
    void checkPassesForReservedAddresses() {
        allocate(DUAL, "c1", "eth0");
        source(conf(DUAL)).check(request(Command.CHECK, "c1", "eth0", conf(DUAL)),
                prev(new IpConfig("10.240.0.2/24", "10.240.0.1", 2), new IpConfig("fd00:10:240::2/64", "fd00:10:240::1", 2)));
    }

    @Test
    void checkNamesAnAddressTheStoreDoesNotHold() {
        allocate("c1");
        source(conf(V4)).release(request(Command.DEL, "c1", "eth0", conf(V4)));
        CniException e = assertThrows(CniException.class, () -> source(conf(V4))
                .check(request(Command.CHECK, "c1", "eth0", conf(V4)), prev(new IpConfig("10.240.0.2/24", "10.240.0.1", 2))));
        assertTrue(e.code() >= 100, "plugin-specific: " + e.code());
        assertTrue(e.msg().contains("10.240.0.2/24"), e.msg());
    }

    @Test
    void checkToleratesAddressesOfOtherPluginsInTheChain() {
        // CHECK's prevResult is the whole chain's result; an address another plugin put on another
        // interface is not jcni's to judge (AttachmentCheck already skips it by interface index).
        allocate("c1");
        Result chained = new Result(null, List.of(), List.of(
                new IpConfig("192.168.50.7/24", "192.168.50.1", 1),
                new IpConfig("10.240.0.2/24", "10.240.0.1", 4)), List.of(), null);
        assertDoesNotThrow(() -> source(conf(V4)).check(request(Command.CHECK, "c1", "eth0", conf(V4)), chained));
    }

    // ---- STATUS ------------------------------------------------------------------------------

    @Test
    void statusIsReadyWithAWritableDataDirAndRoom() {
        assertDoesNotThrow(() -> source(conf(V4)).status(request(Command.STATUS, null, null, conf(V4))));
    }

    @Test
    void statusIs50WhenThePoolIsFull() {
        String tiny = ",\"podcidr\":\"10.240.0.0/30\"";
        allocate(tiny, "c1", "eth0");
        CniException e = assertThrows(CniException.class,
                () -> source(conf(tiny)).status(request(Command.STATUS, null, null, conf(tiny))));
        assertEquals(50, e.code());
    }

    @Test
    void statusIs50WhenTheDataDirCannotBeCreated() throws IOException {
        Files.writeString(tmp.resolve("data"), "a file where the dataDir should be");
        CniException e = assertThrows(CniException.class,
                () -> source(conf(V4)).status(request(Command.STATUS, null, null, conf(V4))));
        assertEquals(50, e.code());
        assertTrue(e.msg().contains("dataDir"), e.msg());
    }

    // ---- GC selection ------------------------------------------------------------------------

    private String gcConf(String key, String list) { return conf(V4 + ",\"" + key + "\":" + list); }

    private void gc(String conf) { source(conf).gc(request(Command.GC, null, null, conf)); }

    @Test
    void gcReleasesEveryReservationNotListed() {
        allocate("c1");
        allocate("c2");
        allocate("c3");
        gc(gcConf(NetConf.VALID_ATTACHMENTS, "[{\"containerID\":\"c2\",\"ifname\":\"eth0\"}]"));
        assertTrue(Files.notExists(networkDir().resolve("10.240.0.2")));
        assertTrue(Files.exists(networkDir().resolve("10.240.0.3")), "c2 is listed");
        assertTrue(Files.notExists(networkDir().resolve("10.240.0.4")));
    }

    @Test
    void gcAcceptsTheOlderAttachmentsKey() {
        allocate("c1");
        allocate("c2");
        gc(gcConf(NetConf.ATTACHMENTS, "[{\"containerID\":\"c1\",\"ifname\":\"eth0\"}]"));
        assertTrue(Files.exists(networkDir().resolve("10.240.0.2")));
        assertTrue(Files.notExists(networkDir().resolve("10.240.0.3")));
    }

    @Test
    void gcMatchesContainerAndIfnameTogether() {
        allocate("c1");
        allocate(V4, "c1", "net1");
        gc(gcConf(NetConf.VALID_ATTACHMENTS, "[{\"containerID\":\"c1\",\"ifname\":\"net1\"}]"));
        assertTrue(Files.notExists(networkDir().resolve("10.240.0.2")), "c1/eth0 is not listed");
        assertTrue(Files.exists(networkDir().resolve("10.240.0.3")), "c1/net1 is listed");
    }

    @Test
    void gcWithAnEmptyListReleasesEverything() {
        allocate(DUAL, "c1", "eth0");
        allocate(DUAL, "c2", "eth0");
        gc(conf(DUAL + ",\"cni.dev/valid-attachments\":[]"));
        assertEquals(Set.of("last_reserved_ip.10.240.0.0-24", "last_reserved_ip.fd00_10_240__-64", "lock"), files());
    }

    @Test
    void gcWithoutAListReleasesNothing() {
        allocate("c1");
        gc(conf(V4));
        assertTrue(Files.exists(networkDir().resolve("10.240.0.2")), "absent list means nothing is known to be stale");
    }

    @Test
    void validKeysFromAttachments() {
        assertEquals(Set.of(new ReservationKey("c1", "eth0"), new ReservationKey("c2", "net1")),
                BuiltinAddresses.validKeys(List.of(new Attachment("c1", "eth0"), new Attachment("c2", "net1"))));
        assertEquals(Set.of(), BuiltinAddresses.validKeys(null));
        assertEquals(Set.of(), BuiltinAddresses.validKeys(List.of()));
    }

    private Set<String> files() {
        try (var s = Files.list(networkDir())) {
            return Set.copyOf(s.map(p -> p.getFileName().toString()).toList());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
