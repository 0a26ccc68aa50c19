package dev.jcni.json;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonObjectTest {
    private static final JsonObject CONF = JsonObject.parse("""
            {
              "name": "k8s", "mtu": 1450, "big": 4294967296, "ratio": 1.5, "hairpin": true, "nothing": null,
              "search": ["a", "b"], "mixed": ["a", 1],
              "ipam": {"type": "host-local", "routes": [{"dst": "0.0.0.0/0"}, {"dst": 7}], "notObjects": [1]}
            }
            """);

    @Test
    void readsTypedValues() {
        assertEquals("k8s", CONF.str("name"));
        assertEquals(Optional.of("k8s"), CONF.optStr("name"));
        assertEquals(Optional.of(1450), CONF.optInt("mtu"));
        assertEquals(1450, CONF.integer("mtu"));
        assertEquals(Optional.of(4294967296L), CONF.optLong("big"));
        assertEquals(Optional.of(true), CONF.optBool("hairpin"));
        assertEquals(Optional.of(List.of("a", "b")), CONF.optStrList("search"));
        assertEquals(Optional.of(List.of("a", 1L)), CONF.optList("mixed"));
        assertEquals("host-local", CONF.obj("ipam").str("type"));
        assertEquals("0.0.0.0/0", CONF.obj("ipam").optObjectList("routes").orElseThrow().get(0).str("dst"));
    }

    @Test
    void absentAndNullAreEmpty() {
        for (String key : List.of("absent", "nothing")) {
            assertFalse(CONF.has(key));
            assertEquals(Optional.empty(), CONF.optStr(key));
            assertEquals(Optional.empty(), CONF.optInt(key));
            assertEquals(Optional.empty(), CONF.optLong(key));
            assertEquals(Optional.empty(), CONF.optBool(key));
            assertEquals(Optional.empty(), CONF.optList(key));
            assertEquals(Optional.empty(), CONF.optStrList(key));
            assertEquals(Optional.empty(), CONF.optObject(key));
            assertEquals(Optional.empty(), CONF.optObjectList(key));
        }
        assertTrue(CONF.has("name"));
    }

    @Test
    void missingRequiredKeyNamesKeyAndType() {
        JsonFieldException e = assertThrows(JsonFieldException.class, () -> CONF.str("type"));
        assertEquals("type", e.key());
        assertEquals("key type: missing (expected string)", e.getMessage());
        assertEquals("key nothing: missing (expected integer)",
                assertThrows(JsonFieldException.class, () -> CONF.integer("nothing")).getMessage());
        assertEquals("ipam.subnet", assertThrows(JsonFieldException.class, () -> CONF.obj("ipam").str("subnet")).key());
        assertEquals("key absent: missing (expected object)",
                assertThrows(JsonFieldException.class, () -> CONF.obj("absent")).getMessage());
    }

    @Test
    void wrongTypesNameKeyExpectedAndActual() {
        assertEquals("key mtu: expected string, got integer", wrong(() -> CONF.optStr("mtu")));
        assertEquals("key name: expected integer, got string", wrong(() -> CONF.optInt("name")));
        assertEquals("key ratio: expected integer, got number", wrong(() -> CONF.optInt("ratio")));
        assertEquals("key ratio: expected integer, got number", wrong(() -> CONF.optLong("ratio")));
        assertEquals("key name: expected boolean, got string", wrong(() -> CONF.optBool("name")));
        assertEquals("key ipam: expected array, got object", wrong(() -> CONF.optList("ipam")));
        assertEquals("key search: expected object, got array", wrong(() -> CONF.optObject("search")));
        assertEquals("key mixed[1]: expected string, got integer", wrong(() -> CONF.optStrList("mixed")));
        assertEquals("key ipam.notObjects[0]: expected object, got integer",
                wrong(() -> CONF.obj("ipam").optObjectList("notObjects")));
    }

    @Test
    void nestedPathsReachIntoListElements() {
        JsonObject second = CONF.obj("ipam").optObjectList("routes").orElseThrow().get(1);
        assertEquals("ipam.routes[1]", second.path());
        JsonFieldException e = assertThrows(JsonFieldException.class, () -> second.str("dst"));
        assertEquals("ipam.routes[1].dst", e.key());
        assertEquals("expected string, got integer", e.problem());
    }

    @Test
    void intRangeIsChecked() {
        JsonFieldException e = assertThrows(JsonFieldException.class, () -> CONF.optInt("big"));
        assertEquals("big", e.key());
        assertTrue(e.getMessage().contains("out of 32-bit range"), e.getMessage());
    }

    @Test
    void wrapsMapsBuiltInCode() {
        JsonObject o = JsonObject.of(Map.of("i", 3, "s", "x"));
        assertEquals(Optional.of(3), o.optInt("i"));
        assertEquals("x", o.str("s"));
        assertEquals("{\"i\":3}", JsonObject.of(Map.of("i", 3)).toString());
    }

    @Test
    void mapViewIsReadOnly() {
        assertThrows(UnsupportedOperationException.class, () -> CONF.map().put("x", 1));
        assertThrows(UnsupportedOperationException.class, () -> CONF.optList("search").orElseThrow().add("c"));
    }

    @Test
    void rootMustBeAnObject() {
        JsonException e = assertThrows(JsonException.class, () -> JsonObject.parse("[1]"));
        assertTrue(e.getMessage().contains("expected a JSON object"), e.getMessage());
        assertThrows(JsonException.class, () -> JsonObject.parse("{"));
        assertEquals("v", JsonObject.parse("{\"k\":\"v\"}".getBytes()).str("k"));
    }

    private static String wrong(Runnable read) {
        return assertThrows(JsonFieldException.class, read::run).getMessage();
    }
}
