package dev.jcni.plugin;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The host veth name is what DEL and GC find an attachment by, with no netns and no prevResult. */
class InterfaceNamesTest {

    @ParameterizedTest
    @CsvSource({"c1,eth0", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef,eth0",
            "a,net1", "pod_x.y-z,fifteen-chars-x"})
    void hostVethIsAValidLinkNameWithThePrefix(String containerId, String ifname) {
        String name = InterfaceNames.hostVeth(containerId, ifname);
        assertTrue(name.startsWith("jc"), name);
        assertTrue(name.startsWith(InterfaceNames.HOST_VETH_PREFIX), name);
        assertTrue(name.length() <= 15, name + " is longer than IFNAMSIZ-1");
        assertTrue(name.substring(2).matches("[0-9a-f]+"), "lower-case hex after the prefix: " + name);
        assertTrue(InterfaceNames.valid(name), name);
    }

    @Test
    void hostVethIsStable() {
        String first = InterfaceNames.hostVeth("c0ffee-1", "eth0");
        for (int i = 0; i < 3; i++) assertEquals(first, InterfaceNames.hostVeth("c0ffee-1", "eth0"));
        // a pinned value: a change here would orphan the veths of pods added by an older jcni
        assertEquals("jc593d69565f1a0", first); // "jc" + sha256("c0ffee-1\0eth0")[0:13]
    }

    @Test
    void hostVethDiffersByIfnameAndByContainer() {
        String base = InterfaceNames.hostVeth("c1", "eth0");
        assertNotEquals(base, InterfaceNames.hostVeth("c1", "eth1"));
        assertNotEquals(base, InterfaceNames.hostVeth("c1", "net1"));
        assertNotEquals(base, InterfaceNames.hostVeth("c2", "eth0"));
    }

    @Test
    void hostVethSeparatesContainerIdFromIfname() {
        // ("ab","c") and ("a","bc") concatenate to the same text; the separator keeps them apart
        assertNotEquals(InterfaceNames.hostVeth("ab", "c"), InterfaceNames.hostVeth("a", "bc"));
    }

    @Test
    void hostVethHasNoCollisionsAmongManyAttachments() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 5000; i++) {
            assertTrue(seen.add(InterfaceNames.hostVeth("container-" + i, "eth0")), "collision at " + i);
            assertTrue(seen.add(InterfaceNames.hostVeth("container-" + i, "net1")), "collision at " + i);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"eth0", "a", "fifteen-chars-x", "cni0", "jc0123456789abc", "br_0.1-x"})
    void validNames(String name) {
        assertTrue(InterfaceNames.valid(name), name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "sixteen-chars-xx", ".", "..", "a/b", "a:b", "a b", "a\tb", "a\nb"})
    void invalidNames(String name) {
        assertFalse(InterfaceNames.valid(name), name);
    }
}
