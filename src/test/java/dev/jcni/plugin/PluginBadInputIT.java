package dev.jcni.plugin;

import dev.jcni.testing.Cni;
import dev.jcni.testing.Privileged;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static dev.jcni.plugin.PluginHarness.json;
import static dev.jcni.plugin.PluginHarness.link;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Malformed configs and environments against dist/bin/jcni ADD: each is one error JSON on stdout with
 * the expected code and a message naming the culprit, exit 1, no stack trace, and nothing left behind.
 */
@Privileged
class PluginBadInputIT {
    @TempDir
    Path tmp;
    PluginHarness h;
    Path pod;

    @BeforeEach
    void setUp() {
        h = new PluginHarness(tmp);
        pod = h.pod("pod1");
    }

    @AfterEach
    void tearDown() { if (h != null) h.close(); }

    /**
     * One bad invocation of ADD (for container c1, ifname eth0, the test's pod netns).
     *
     * @param code  the expected CNI code, or null for "any non-zero code"
     * @param named text the msg must contain, or null
     * @param conf  edits the otherwise valid config; {@code rawStdin} replaces it when non-null
     * @param env   edits the otherwise valid environment
     */
    record Case(String name, Integer code, String named, String rawStdin,
                Consumer<Map<String, Object>> conf, BiConsumer<Map<String, String>, Path> env) {
        @Override
        public String toString() { return name; }
    }

    static Case conf(String name, int code, String named, Consumer<Map<String, Object>> edit) {
        return new Case(name, code, named, null, edit, (e, t) -> { });
    }

    static Case env(String name, Integer code, String named, BiConsumer<Map<String, String>, Path> edit) {
        return new Case(name, code, named, null, c -> { }, edit);
    }

    static Case stdin(String name, int code, String raw) {
        return new Case(name, code, null, raw, c -> { }, (e, t) -> { });
    }

    static Stream<Case> cases() {
        return Stream.of(
                stdin("bad JSON", 6, "{\"cniVersion\":\"1.1.0\",\"name\":"),
                stdin("not an object", 6, "[1,2,3]"),
                stdin("empty stdin", 6, ""),
                conf("missing cniVersion", 1, "cniVersion", c -> c.remove("cniVersion")),
                conf("unsupported cniVersion 0.2.0", 1, "0.2.0", c -> c.put("cniVersion", "0.2.0")),
                conf("missing name", 7, "name", c -> c.remove("name")),
                conf("podcidr /33", 7, "podcidr", c -> c.put("podcidr", "10.240.0.0/33")),
                conf("podcidr banana", 7, "podcidr", c -> c.put("podcidr", "banana")),
                conf("mtu x", 7, "mtu", c -> c.put("mtu", "x")),
                conf("mtu 10", 7, "mtu", c -> c.put("mtu", 10)),
                conf("podcidrs with two IPv4 ranges", 7, "podcidrs", c -> {
                    c.remove("podcidr");
                    c.put("podcidrs", List.of("10.240.0.0/25", "10.240.0.128/25"));
                }),
                conf("relative dataDir", 7, "dataDir", c -> c.put("dataDir", "relative/dir")),
                conf("no address source", 7, "podcidr", c -> c.remove("podcidr")),
                env("missing CNI_COMMAND", 4, "CNI_COMMAND", (e, t) -> e.remove("CNI_COMMAND")),
                env("unknown CNI_COMMAND", 4, "CNI_COMMAND", (e, t) -> e.put("CNI_COMMAND", "ATTACH")),
                env("lower-case CNI_COMMAND", 4, "CNI_COMMAND", (e, t) -> e.put("CNI_COMMAND", "add")),
                env("CNI_CONTAINERID -bad", 4, "CNI_CONTAINERID", (e, t) -> e.put("CNI_CONTAINERID", "-bad")),
                env("CNI_CONTAINERID a/b", 4, "CNI_CONTAINERID", (e, t) -> e.put("CNI_CONTAINERID", "a/b")),
                env("CNI_CONTAINERID ../x", 4, "CNI_CONTAINERID", (e, t) -> e.put("CNI_CONTAINERID", "../x")),
                env("CNI_IFNAME empty", 4, "CNI_IFNAME", (e, t) -> e.put("CNI_IFNAME", "")),
                env("CNI_IFNAME 16 chars", 4, "CNI_IFNAME", (e, t) -> e.put("CNI_IFNAME", "abcdefghijklmnop")),
                env("CNI_IFNAME a/b", 4, "CNI_IFNAME", (e, t) -> e.put("CNI_IFNAME", "a/b")),
                env("CNI_IFNAME .", 4, "CNI_IFNAME", (e, t) -> e.put("CNI_IFNAME", ".")),
                env("CNI_IFNAME ..", 4, "CNI_IFNAME", (e, t) -> e.put("CNI_IFNAME", "..")),
                env("CNI_IFNAME with a space", 4, "CNI_IFNAME", (e, t) -> e.put("CNI_IFNAME", "eth 0")),
                env("missing CNI_NETNS for ADD", 4, "CNI_NETNS", (e, t) -> e.remove("CNI_NETNS")),
                env("CNI_NETNS does not exist", null, null, (e, t) -> e.put("CNI_NETNS", t.resolve("no-such-netns").toString())),
                env("CNI_NETNS is a regular file, not a netns", 4, "CNI_NETNS", (e, t) -> {
                    Path file = t.resolve("not-a-netns");
                    try {
                        java.nio.file.Files.writeString(file, "");
                    } catch (java.io.IOException x) {
                        throw new java.io.UncheckedIOException(x);
                    }
                    e.put("CNI_NETNS", file.toString());
                }),
                env("missing CNI_PATH", 4, "CNI_PATH", (e, t) -> e.remove("CNI_PATH")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badInputIsOneCleanErrorAndLeavesNothing(Case c) {
        Map<String, Object> conf = h.conf();
        c.conf().accept(conf);
        Map<String, String> env = h.env("ADD", "c1", pod, "eth0");
        c.env().accept(env, tmp);
        String stdin = c.rawStdin() != null ? c.rawStdin() : json(conf);

        Cni.Call call = h.call(env, stdin);

        assertEquals(1, call.exit(), "exit code; stdout: " + call.stdout() + "\nstderr: " + call.stderr());
        Object parsed = dev.jcni.json.Json.parse(call.stdout());
        Map<?, ?> error = assertInstanceOf(Map.class, parsed, "stdout is one JSON object");
        assertTrue(error.get("cniVersion") instanceof String, "cniVersion: " + call.stdout());
        assertTrue(error.get("code") instanceof Number, "code: " + call.stdout());
        assertTrue(error.get("msg") instanceof String m && !m.isEmpty(), "msg: " + call.stdout());
        int code = ((Number) error.get("code")).intValue();
        if (c.code() != null) assertEquals(c.code().intValue(), code, call.stdout());
        else assertNotEquals(0, code);
        if (c.named() != null) {
            assertTrue(((String) error.get("msg")).contains(c.named()), "msg should name " + c.named() + ": " + call.stdout());
        }
        for (String line : call.stdout().split("\n")) {
            assertFalse(line.startsWith("\tat ") || line.strip().startsWith("at dev.") || line.startsWith("Caused by"),
                    "stack trace on stdout: " + call.stdout());
        }
        assertFalse(call.stdout().contains("Exception"), "no exception text on stdout: " + call.stdout());

        assertEquals(List.of(), h.hostVeths(), "no jc* link left in the node namespace");
        assertTrue(link(h.podName("pod1"), "eth0").isEmpty(), "no interface made in the pod");
        assertEquals(List.of(), h.reservationFiles(), "no reservation left under " + h.dataDir);
    }
}
