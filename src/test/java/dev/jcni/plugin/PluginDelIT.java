package dev.jcni.plugin;

import dev.jcni.netlink.NetNs;
import dev.jcni.testing.Cni;
import dev.jcni.testing.Privileged;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.jcni.plugin.PluginHarness.assertReleased;
import static dev.jcni.plugin.PluginHarness.assertReserved;
import static dev.jcni.plugin.PluginHarness.hostVeth;
import static dev.jcni.plugin.PluginHarness.json;
import static dev.jcni.plugin.PluginHarness.link;
import static dev.jcni.plugin.PluginHarness.silentOk;
import static dev.jcni.plugin.PluginHarness.withPrev;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DEL is idempotent and complete: whatever is already gone (the netns, the link, prevResult, an earlier
 * DEL), it succeeds and leaves neither the host veth nor the address reservation behind.
 */
@Privileged
class PluginDelIT {
    @TempDir
    Path tmp;
    PluginHarness h;
    Path pod;
    Map<String, Object> result;
    Path reservation;

    @BeforeEach
    void setUp() {
        h = new PluginHarness(tmp);
        pod = h.pod("pod1");
        result = h.added("c1", pod, "eth0", h.conf());
        reservation = h.reservationFile(PluginHarness.ip(result, 0));
        assertReserved(reservation);
        assertTrue(link(h.node, hostVeth("c1", "eth0")).isPresent());
    }

    @AfterEach
    void tearDown() { if (h != null) h.close(); }

    private void assertAllGone() {
        assertEquals(List.of(), h.hostVeths(), "host veth left behind");
        assertReleased(reservation);
        assertEquals(List.of(), h.reservationFiles(), "no reservation of any address is left");
    }

    @Test
    void delTwice() {
        silentOk(h.del("c1", pod, "eth0", withPrev(h.conf(), result)));
        assertAllGone();
        silentOk(h.del("c1", pod, "eth0", withPrev(h.conf(), result)));
        assertAllGone();
    }

    @Test
    void delWithoutNetns() {
        silentOk(h.del("c1", null, "eth0", withPrev(h.conf(), result)));
        assertAllGone();
    }

    @Test
    void delWithoutNetnsOrPrevResult() {
        silentOk(h.del("c1", null, "eth0", json(h.conf())));
        assertAllGone();
    }

    @Test
    void delAfterThePodNetnsWasDeleted() {
        NetNs.delete(h.podName("pod1"));
        assertTrue(Files.notExists(pod));
        silentOk(h.del("c1", pod, "eth0", withPrev(h.conf(), result)));
        assertAllGone();
    }

    @Test
    void delWithNoPrevResult() {
        silentOk(h.del("c1", pod, "eth0", json(h.conf())));
        assertAllGone();
        assertTrue(link(h.podName("pod1"), "eth0").isEmpty());
    }

    @Test
    void delAfterTheHostVethWasRemovedByHand() {
        dev.jcni.testing.Sh.ip(h.node, "link", "del", hostVeth("c1", "eth0")).ok();
        silentOk(h.del("c1", pod, "eth0", json(h.conf())));
        assertAllGone();
    }

    @Test
    void delOfAnotherAttachmentTouchesNothingOfThisOne() {
        silentOk(h.del("c2", pod, "eth0", json(h.conf())));
        silentOk(h.del("c1", pod, "net1", json(h.conf())));
        assertReserved(reservation);
        assertEquals(List.of(hostVeth("c1", "eth0")), h.hostVeths());
        Cni.Call c = h.del("c1", pod, "eth0", json(h.conf()));
        silentOk(c);
        assertAllGone();
    }
}
