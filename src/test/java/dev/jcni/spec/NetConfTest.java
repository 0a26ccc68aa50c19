package dev.jcni.spec;

import dev.jcni.json.JsonFieldException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NetConfTest {

    static NetConf parse(String json) {
        return NetConf.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    static CniException rejected(String json) {
        return assertThrows(CniException.class, () -> parse(json));
    }

    @Test
    void parsesWellKnownKeysAndKeepsTheRest() {
        NetConf c = parse("""
                {
                  "cniVersion": "1.1.0", "name": "k8s-pod-network", "type": "jcni",
                  "bridge": "cni0", "podcidr": "10.240.1.0/24",
                  "runtimeConfig": {"portMappings": []},
                  "prevResult": {"cniVersion": "1.1.0", "ips": [{"address": "10.240.1.7/24"}]}
                }
                """);
        assertEquals(CniVersion.V1_1_0, c.cniVersion());
        assertEquals("k8s-pod-network", c.name());
        assertEquals("jcni", c.type());
        assertEquals(Map.of("portMappings", List.of()), c.runtimeConfig());
        assertEquals("10.240.1.7/24", c.prevResult().ips().get(0).address());
        assertNull(c.validAttachments());
        assertEquals("cni0", c.raw().get("bridge"));
        assertEquals("10.240.1.0/24", c.json().str("podcidr"));
    }

    @Test
    void optionalKeysDefault() {
        NetConf c = parse("{\"cniVersion\":\"0.3.1\",\"name\":\"n\",\"type\":\"t\"}");
        assertNull(c.prevResult());
        assertEquals(Map.of(), c.runtimeConfig());
        assertNull(c.validAttachments());
    }

    @Test
    void gcAttachmentsUnderEitherKey() {
        String list = "[{\"containerID\":\"c1\",\"ifname\":\"eth0\"},{\"containerID\":\"c2\",\"ifname\":\"net1\"}]";
        List<Attachment> expected = List.of(new Attachment("c1", "eth0"), new Attachment("c2", "net1"));
        for (String key : List.of(NetConf.VALID_ATTACHMENTS, NetConf.ATTACHMENTS)) {
            NetConf c = parse("{\"cniVersion\":\"1.1.0\",\"name\":\"n\",\"type\":\"t\",\"" + key + "\":" + list + "}");
            assertEquals(expected, c.validAttachments(), key);
        }
        NetConf both = parse("{\"cniVersion\":\"1.1.0\",\"name\":\"n\",\"type\":\"t\",\"cni.dev/attachments\":[],"
                + "\"cni.dev/valid-attachments\":" + list + "}");
        assertEquals(expected, both.validAttachments());
        NetConf empty = parse("{\"cniVersion\":\"1.1.0\",\"name\":\"n\",\"type\":\"t\",\"cni.dev/valid-attachments\":[]}");
        assertEquals(List.of(), empty.validAttachments(), "empty list means: nothing is valid");
    }

    @Test
    void badJsonIsCode6() {
        for (String bad : List.of("", "{", "{\"cniVersion\":\"1.0.0\",}", "[]", "\"str\"", "null")) {
            CniException e = rejected(bad);
            assertEquals(6, e.code(), bad);
            assertTrue(e.msg().startsWith("failed to decode network config"), e.msg());
        }
        assertTrue(rejected("{\"a\":1 x}").msg().contains("offset 7"));
    }

    @Test
    void versionProblemsAreCode1() {
        assertEquals(1, rejected("{\"name\":\"n\",\"type\":\"t\"}").code());
        assertEquals(1, rejected("{\"cniVersion\":\"\",\"name\":\"n\",\"type\":\"t\"}").code());
        assertEquals(1, rejected("{\"cniVersion\":1.0,\"name\":\"n\",\"type\":\"t\"}").code());
        assertEquals(1, rejected("{\"cniVersion\":\"1.0\",\"name\":\"n\",\"type\":\"t\"}").code());
        assertTrue(rejected("{\"name\":\"n\",\"type\":\"t\"}").msg().contains("no cniVersion"));
    }

    @Test
    void missingOrInvalidKeysAreCode7NamingTheKey() {
        assertKey7("{\"cniVersion\":\"1.0.0\",\"type\":\"t\"}", "key name");
        assertKey7("{\"cniVersion\":\"1.0.0\",\"name\":\"n\"}", "key type");
        assertKey7("{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"type\":\"\"}", "key type");
        assertKey7("{\"cniVersion\":\"1.0.0\",\"name\":5,\"type\":\"t\"}", "key name: expected string, got integer");
        assertKey7("{\"cniVersion\":\"1.0.0\",\"name\":\"bad name\",\"type\":\"t\"}", "key name");
        assertKey7("{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"type\":\"t\",\"runtimeConfig\":[]}", "key runtimeConfig");
        assertKey7("{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"type\":\"t\",\"prevResult\":{\"ips\":[{\"address\":1}]}}",
                "key prevResult.ips[0].address: expected string, got integer");
        assertKey7("{\"cniVersion\":\"1.1.0\",\"name\":\"n\",\"type\":\"t\",\"cni.dev/attachments\":[{\"ifname\":\"eth0\"}]}",
                "key cni.dev/attachments[0].containerID");
    }

    @Test
    void pluginKeysReadThroughJsonNameTheirPath() {
        NetConf c = parse("{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"type\":\"t\",\"ipam\":{\"ranges\":[[{\"subnet\":3}]]}}");
        JsonFieldException e = assertThrows(JsonFieldException.class, () -> c.json().obj("ipam").optInt("ranges"));
        assertEquals("ipam.ranges", e.key());
    }

    @Test
    void versionHintOnlyForWellFormedVersions() {
        assertEquals("0.4.0", NetConf.versionHint(Map.of("cniVersion", "0.4.0")).orElseThrow());
        assertEquals("2.0.0", NetConf.versionHint(Map.of("cniVersion", "2.0.0")).orElseThrow());
        assertTrue(NetConf.versionHint(Map.of("cniVersion", "junk")).isEmpty());
        assertTrue(NetConf.versionHint(Map.of("cniVersion", 1L)).isEmpty());
    }

    private static void assertKey7(String json, String expectedInMsg) {
        CniException e = rejected(json);
        assertEquals(7, e.code(), e.msg());
        assertTrue(e.msg().startsWith("invalid config: " + expectedInMsg), e.msg());
    }
}
