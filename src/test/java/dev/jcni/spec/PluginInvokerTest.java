package dev.jcni.spec;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Delegation against tiny /bin/sh plugins written into a temp CNI_PATH. */
class PluginInvokerTest {
    @TempDir
    Path dir;
    Path bin;
    final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    final PluginInvoker invoker = new PluginInvoker(new PrintStream(stderr, true, StandardCharsets.UTF_8));
    static final byte[] IPAM_CONF = "{\"cniVersion\":\"1.0.0\",\"name\":\"k8s\",\"ipam\":{\"type\":\"fake-ipam\"}}"
            .getBytes(StandardCharsets.UTF_8);

    @BeforeEach
    void setUp() throws IOException {
        bin = Files.createDirectory(dir.resolve("bin"));
    }

    /** Writes an executable script; it records its stdin and CNI_COMMAND next to itself. */
    private Path script(Path where, String name, String body) throws IOException {
        Path p = where.resolve(name);
        Files.writeString(p, "#!/bin/sh\ncat > \"$0.stdin\"\nprintf '%s' \"$CNI_COMMAND\" > \"$0.cmd\"\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    private CniRequest request(String command, List<String> path) {
        Map<String, String> env = new HashMap<>(CniEnvTest.env(command));
        env.put("CNI_PATH", String.join(":", path));
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        NetConf conf = NetConf.parse(DispatcherTest.conf("1.0.0").getBytes(StandardCharsets.UTF_8));
        CniEnv cniEnv = CniEnv.parse(env);
        return CniRequest.of(cniEnv, conf, new byte[0], env);
    }

    private static String read(Path p) throws IOException {
        return Files.readString(p);
    }

    @Test
    void addPassesConfigAndEnvAndParsesTheResult() throws IOException {
        Path p = script(bin, "fake-ipam", """
                echo "ifname=$CNI_IFNAME container=$CNI_CONTAINERID" >&2
                cat <<'JSON'
                {"cniVersion":"1.0.0","ips":[{"address":"10.240.0.5/24","gateway":"10.240.0.1"}],"routes":[{"dst":"0.0.0.0/0"}]}
                JSON""");
        // the caller's own verb differs: the delegate must see the verb being delegated
        Result r = invoker.delegateAdd("fake-ipam", request("CHECK", List.of(bin.toString())), IPAM_CONF);
        assertEquals("10.240.0.5/24", r.ips().getFirst().address());
        assertEquals("10.240.0.1", r.ips().getFirst().gateway());
        assertEquals(CniVersion.V1_0_0, r.cniVersion());
        assertEquals("ADD", read(Path.of(p + ".cmd")));
        assertArrayEquals(IPAM_CONF, Files.readAllBytes(Path.of(p + ".stdin")));
        assertEquals("ifname=eth0 container=c0ffee-1.2_3\n", stderr.toString(StandardCharsets.UTF_8));
    }

    @Test
    void otherVerbsAreForwardedWithTheirCommand() throws IOException {
        Path p = script(bin, "fake-ipam", "exit 0");
        CniRequest req = request("ADD", List.of(bin.toString()));
        Map<String, Runnable> verbs = Map.of(
                "DEL", () -> invoker.delegateDel("fake-ipam", req, IPAM_CONF),
                "CHECK", () -> invoker.delegateCheck("fake-ipam", req, IPAM_CONF),
                "STATUS", () -> invoker.delegateStatus("fake-ipam", req, IPAM_CONF),
                "GC", () -> invoker.delegateGc("fake-ipam", req, IPAM_CONF));
        for (Map.Entry<String, Runnable> verb : verbs.entrySet()) {
            verb.getValue().run();
            assertEquals(verb.getKey(), read(Path.of(p + ".cmd")));
            assertArrayEquals(IPAM_CONF, Files.readAllBytes(Path.of(p + ".stdin")));
        }
    }

    @Test
    void delegateErrorIsRethrownWithTheSameCodeMsgAndDetails() throws IOException {
        script(bin, "fake-ipam", """
                echo '{"cniVersion":"1.0.0","code":11,"msg":"store locked","details":"flock /var/lib/cni"}'
                exit 1""");
        CniException e = assertThrows(CniException.class,
                () -> invoker.delegateAdd("fake-ipam", request("ADD", List.of(bin.toString())), IPAM_CONF));
        assertEquals(11, e.code());
        assertEquals("store locked", e.msg());
        assertEquals("flock /var/lib/cni", e.details());
    }

    @Test
    void delegateFailureWithoutErrorJsonIsInternalWithItsOutput() throws IOException {
        script(bin, "fake-ipam", "echo 'segfault-ish' >&2\nexit 2");
        CniException e = assertThrows(CniException.class,
                () -> invoker.delegateDel("fake-ipam", request("DEL", List.of(bin.toString())), IPAM_CONF));
        assertEquals(999, e.code());
        assertTrue(e.msg().contains("exit code 2"), e.msg());
        assertEquals("segfault-ish", e.details());
    }

    @Test
    void garbageAddResultIsCode6() throws IOException {
        script(bin, "fake-ipam", "echo 'not json'");
        CniException e = assertThrows(CniException.class,
                () -> invoker.delegateAdd("fake-ipam", request("ADD", List.of(bin.toString())), IPAM_CONF));
        assertEquals(6, e.code());
        script(bin, "fake-ipam", "echo '{\"ips\":[{\"address\":\"nocidr\"}]}'");
        CniException bad = assertThrows(CniException.class,
                () -> invoker.delegateAdd("fake-ipam", request("ADD", List.of(bin.toString())), IPAM_CONF));
        assertEquals(6, bad.code());
        assertTrue(bad.details().contains("ips[0].address"), bad.details());
    }

    @Test
    void searchesEveryDirectoryAndSkipsNonExecutables() throws IOException {
        Path first = Files.createDirectory(dir.resolve("first"));
        Files.writeString(first.resolve("fake-ipam"), "not executable");
        Files.createDirectory(dir.resolve("second").toAbsolutePath());
        Path second = dir.resolve("second");
        script(second, "fake-ipam", "echo '{\"cniVersion\":\"1.0.0\"}'");
        List<String> path = List.of(dir.resolve("missing").toString(), first.toString(), second.toString());
        assertEquals(second.resolve("fake-ipam"), PluginInvoker.find("fake-ipam", path));
        invoker.delegateAdd("fake-ipam", request("ADD", path), IPAM_CONF);
    }

    @Test
    void missingPluginIsCode7NamingTypeAndPath() {
        CniException e = assertThrows(CniException.class,
                () -> invoker.delegateAdd("host-local", request("ADD", List.of(bin.toString())), IPAM_CONF));
        assertEquals(7, e.code());
        assertTrue(e.msg().contains("\"host-local\"") && e.msg().contains(bin.toString()), e.msg());
    }

    @Test
    void typesWithPathsAreRefused() {
        for (String type : List.of("../bin/sh", "/bin/sh", ".", "..", "")) {
            CniException e = assertThrows(CniException.class, () -> PluginInvoker.find(type, List.of(bin.toString())));
            assertEquals(7, e.code(), type);
        }
    }

    @Test
    void largeStdinAndChattyStderrDoNotDeadlock() throws IOException {
        // 1 MiB in, 1 MiB out on stderr: far beyond a pipe buffer in both directions
        script(bin, "fake-ipam", "i=0; while [ $i -lt 1024 ]; do printf '%01024d' 0 >&2; i=$((i+1)); done");
        byte[] big = ("{\"cniVersion\":\"1.0.0\",\"pad\":\"" + "x".repeat(1 << 20) + "\"}").getBytes(StandardCharsets.UTF_8);
        invoker.delegateDel("fake-ipam", request("DEL", List.of(bin.toString())), big);
        assertEquals(1 << 20, stderr.size());
        assertEquals(big.length, Files.size(bin.resolve("fake-ipam.stdin")));
    }
}
