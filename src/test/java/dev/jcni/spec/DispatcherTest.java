package dev.jcni.spec;

import dev.jcni.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DispatcherTest {

    /** Records each call; a verb's behaviour is set per test. */
    static final class FakePlugin implements Plugin {
        final List<CniRequest> calls = new ArrayList<>();
        Function<CniRequest, Result> onAdd = req -> ResultTest.full();
        RuntimeException toThrow;
        List<String> versions = CniVersion.supportedStrings();

        private void record(CniRequest req) {
            calls.add(req);
            if (toThrow != null) {
                throw toThrow;
            }
        }

        @Override
        public Result add(CniRequest req) {
            record(req);
            return onAdd.apply(req);
        }

        @Override
        public void del(CniRequest req) {
            record(req);
        }

        @Override
        public void check(CniRequest req) {
            record(req);
        }

        @Override
        public void status(CniRequest req) {
            record(req);
        }

        @Override
        public void gc(CniRequest req) {
            record(req);
        }

        @Override
        public List<String> supportedVersions() {
            return versions;
        }
    }

    /** What one run printed. */
    record Run(int exit, String stdout, String stderr) {
        Map<?, ?> json() {
            return (Map<?, ?>) Json.parse(stdout);
        }

        long code() {
            return (Long) json().get("code");
        }

        String msg() {
            return (String) json().get("msg");
        }
    }

    final FakePlugin plugin = new FakePlugin();

    static String conf(String version) {
        return "{\"cniVersion\":\"" + version + "\",\"name\":\"k8s\",\"type\":\"jcni\",\"bridge\":\"cni0\"}";
    }

    Run run(Map<String, String> env, String stdin) {
        return run(env, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    }

    Run run(Map<String, String> env, InputStream stdin) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new Dispatcher(plugin).run(env, stdin,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Map<String, String> env(String command) {
        Map<String, String> env = CniEnvTest.env(command);
        env.put("PATH", "/usr/bin");
        return env;
    }

    private static void assertError(Run r, int code, String cniVersion) {
        assertEquals(1, r.exit(), r.stdout());
        assertEquals(code, r.code(), r.stdout());
        assertEquals(cniVersion, r.json().get("cniVersion"));
        assertFalse(r.stdout().contains("\tat "), "no stack trace on stdout");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"})
    void addPrintsTheResultInTheConfigVersion(String version) {
        Run r = run(env("ADD"), conf(version));
        assertEquals(0, r.exit(), r.stdout());
        assertEquals(Json.pretty(ResultTest.full().toJson(version)) + "\n", r.stdout());
        assertEquals(version, r.json().get("cniVersion"));
        assertEquals("", r.stderr());
    }

    @Test
    void addPassesTheValidatedRequest() {
        String stdin = conf("1.0.0");
        Run r = run(env("ADD"), stdin);
        assertEquals(0, r.exit());
        CniRequest req = plugin.calls.getFirst();
        assertEquals(Command.ADD, req.command());
        assertEquals("c0ffee-1.2_3", req.containerId());
        assertEquals("/var/run/netns/cni-1", req.netns());
        assertEquals("eth0", req.ifname());
        assertEquals("default", req.args().get("K8S_POD_NAMESPACE"));
        assertEquals(List.of("/opt/cni/bin"), req.cniPath());
        assertEquals("cni0", req.conf().raw().get("bridge"));
        assertArrayEquals(stdin.getBytes(StandardCharsets.UTF_8), req.stdin());
        assertEquals("/usr/bin", req.env().get("PATH"));
        assertEquals(CniVersion.V1_0_0, req.cniVersion());
    }

    @Test
    void delWorksWithoutNetnsAndPrintsNothing() {
        Map<String, String> env = env("DEL");
        env.remove("CNI_NETNS");
        Run r = run(env, conf("1.0.0"));
        assertEquals(0, r.exit(), r.stdout());
        assertEquals("", r.stdout());
        assertNull(plugin.calls.getFirst().netns());
    }

    @ParameterizedTest
    @CsvSource({"CHECK, 0.4.0", "CHECK, 1.1.0", "STATUS, 1.1.0", "GC, 1.1.0", "DEL, 0.3.0"})
    void silentVerbsPrintNothing(String command, String version) {
        Map<String, String> env = env(command);
        Run r = run(env, conf(version));
        assertEquals(0, r.exit(), r.stdout());
        assertEquals("", r.stdout());
        assertEquals(Command.valueOf(command), plugin.calls.getFirst().command());
    }

    @Test
    void gcGetsItsAttachmentsWithoutContainerVariables() {
        Map<String, String> env = Map.of("CNI_COMMAND", "GC", "CNI_PATH", "/opt/cni/bin");
        Run r = run(env, "{\"cniVersion\":\"1.1.0\",\"name\":\"k8s\",\"type\":\"jcni\","
                + "\"cni.dev/valid-attachments\":[{\"containerID\":\"c1\",\"ifname\":\"eth0\"}]}");
        assertEquals(0, r.exit(), r.stdout());
        assertEquals(List.of(new Attachment("c1", "eth0")), plugin.calls.getFirst().conf().validAttachments());
    }

    @ParameterizedTest(name = "{0} without {1}")
    @CsvSource({"ADD, CNI_CONTAINERID", "ADD, CNI_NETNS", "ADD, CNI_IFNAME", "ADD, CNI_PATH", "ADD, CNI_COMMAND",
            "DEL, CNI_CONTAINERID", "DEL, CNI_IFNAME", "DEL, CNI_PATH", "CHECK, CNI_NETNS", "STATUS, CNI_PATH",
            "GC, CNI_PATH"})
    void missingVariableIsCode4NamingIt(String command, String variable) {
        Map<String, String> env = env(command);
        env.remove(variable);
        Run r = run(env, conf("1.1.0"));
        assertError(r, 4, "1.1.0");
        assertTrue(r.msg().contains(variable), r.msg());
        assertTrue(plugin.calls.isEmpty());
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "CNI_COMMAND | FROB", "CNI_CONTAINERID | -bad", "CNI_CONTAINERID | a/b", "CNI_IFNAME | 0123456789abcdef",
            "CNI_IFNAME | a/b", "CNI_IFNAME | a:b", "CNI_IFNAME | '..'", "CNI_IFNAME | 'a b'", "CNI_ARGS | nopair",
            "CNI_PATH | ':'"})
    void invalidVariableIsCode4NamingIt(String variable, String value) {
        Map<String, String> env = env("ADD");
        env.put(variable, value);
        Run r = run(env, conf("1.0.0"));
        assertError(r, 4, "1.1.0"); // the environment is checked before the config is read
        assertTrue(r.msg().contains(variable), r.msg());
        assertTrue(plugin.calls.isEmpty());
    }

    @Test
    void badJsonIsCode6() {
        assertError(run(env("ADD"), "{\"cniVersion\":\"1.0.0\","), 6, "1.1.0");
        assertError(run(env("ADD"), ""), 6, "1.1.0");
        assertError(run(env("DEL"), "not json"), 6, "1.1.0");
        assertTrue(plugin.calls.isEmpty());
    }

    @Test
    void unreadableStdinIsCode5() {
        InputStream broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("EIO");
            }
        };
        assertError(run(env("ADD"), broken), 5, "1.1.0");
    }

    @Test
    void invalidConfigIsCode7InTheConfigVersion() {
        Run r = run(env("ADD"), "{\"cniVersion\":\"0.4.0\",\"type\":\"jcni\"}");
        assertError(r, 7, "0.4.0");
        assertTrue(r.msg().contains("key name"), r.msg());
    }

    @Test
    void unsupportedVersionsAreCode1() {
        assertError(run(env("ADD"), conf("0.2.0")), 1, "0.2.0");
        assertError(run(env("ADD"), conf("2.0.0")), 1, "2.0.0");
        assertError(run(env("ADD"), conf("junk")), 1, "1.1.0");
        assertError(run(env("ADD"), "{\"name\":\"k8s\",\"type\":\"jcni\"}"), 1, "1.1.0");
        assertTrue(plugin.calls.isEmpty());
    }

    @Test
    void versionsThePluginDoesNotListAreCode1() {
        plugin.versions = List.of("1.0.0", "1.1.0");
        Run r = run(env("ADD"), conf("0.4.0"));
        assertError(r, 1, "0.4.0");
        assertTrue(r.json().get("details").toString().contains("1.0.0"));
    }

    @ParameterizedTest
    @CsvSource({"CHECK, 0.3.0", "CHECK, 0.3.1", "STATUS, 0.4.0", "STATUS, 1.0.0", "GC, 0.3.1", "GC, 1.0.0"})
    void verbsNewerThanTheConfigAreCode1(String command, String version) {
        Run r = run(env(command), conf(version));
        assertError(r, 1, version);
        assertTrue(r.msg().contains("does not allow " + command), r.msg());
        assertTrue(plugin.calls.isEmpty());
    }

    @Test
    void cniExceptionFromThePluginIsPrintedAsIs() {
        plugin.toThrow = CniException.tryAgainLater("IPAM store locked");
        Run r = run(env("DEL"), conf("0.4.0"));
        assertError(r, 11, "0.4.0");
        assertEquals("IPAM store locked", r.msg());
        assertEquals("", r.stderr());
    }

    @Test
    void statusNotReadyIsCode50() {
        plugin.toThrow = CniException.notReady("no pod CIDR yet");
        assertError(run(env("STATUS"), conf("1.1.0")), 50, "1.1.0");
    }

    @Test
    void runtimeExceptionBecomesInternalErrorWithTraceOnStderrOnly() {
        plugin.toThrow = new IllegalStateException("veth vanished");
        Run r = run(env("ADD"), conf("1.0.0"));
        assertError(r, 999, "1.0.0");
        assertEquals("internal error", r.msg());
        assertEquals("java.lang.IllegalStateException: veth vanished", r.json().get("details"));
        assertTrue(r.stderr().contains("\tat "), "stack trace goes to stderr");
        assertEquals(Json.pretty(r.json()) + "\n", r.stdout(), "stdout holds exactly one JSON document");
    }

    @Test
    void errorsAreInternalToo() {
        plugin.onAdd = req -> {
            throw new StackOverflowError("deep");
        };
        assertError(run(env("ADD"), conf("1.1.0")), 999, "1.1.0");
    }

    @Test
    void nullAddResultIsAnInternalError() {
        plugin.onAdd = req -> null;
        Run r = run(env("ADD"), conf("1.1.0"));
        assertError(r, 999, "1.1.0");
        assertTrue(r.json().get("details").toString().contains("no result"));
    }

    @Test
    void wronglyTypedPluginKeyIsCode7NamingIt() {
        plugin.onAdd = req -> {
            req.conf().json().optInt("bridge");
            return ResultTest.full();
        };
        Run r = run(env("ADD"), conf("1.0.0"));
        assertError(r, 7, "1.0.0");
        assertEquals("invalid config: key bridge: expected integer, got string", r.msg());
    }

    @Test
    void versionWorksWithEmptyStdinAndNoOtherVariables() {
        Run r = run(Map.of("CNI_COMMAND", "VERSION"), "");
        assertEquals(0, r.exit());
        assertEquals("""
                {
                  "cniVersion": "1.1.0",
                  "supportedVersions": [
                    "0.3.0",
                    "0.3.1",
                    "0.4.0",
                    "1.0.0",
                    "1.1.0"
                  ]
                }
                """, r.stdout());
    }

    @Test
    void versionEchoesASupportedRequestedVersion() {
        Map<String, String> env = new HashMap<>(Map.of("CNI_COMMAND", "VERSION"));
        assertEquals("0.4.0", run(env, "{\"cniVersion\":\"0.4.0\"}").json().get("cniVersion"));
        assertEquals("1.1.0", run(env, "{\"cniVersion\":\"9.9.9\"}").json().get("cniVersion"));
        assertEquals("1.1.0", run(env, "garbage").json().get("cniVersion"));
        plugin.versions = List.of("1.0.0");
        Run r = run(env, "{\"cniVersion\":\"1.0.0\"}");
        assertEquals(Map.of("cniVersion", "1.0.0", "supportedVersions", List.of("1.0.0")), r.json());
        assertTrue(plugin.calls.isEmpty());
    }
}
