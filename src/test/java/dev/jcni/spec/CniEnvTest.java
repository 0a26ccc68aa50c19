package dev.jcni.spec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CniEnvTest {

    static Map<String, String> env(String command) {
        Map<String, String> env = new HashMap<>();
        env.put("CNI_COMMAND", command);
        env.put("CNI_CONTAINERID", "c0ffee-1.2_3");
        env.put("CNI_NETNS", "/var/run/netns/cni-1");
        env.put("CNI_IFNAME", "eth0");
        env.put("CNI_PATH", "/opt/cni/bin");
        env.put("CNI_ARGS", "K8S_POD_NAMESPACE=default;K8S_POD_NAME=web-0");
        return env;
    }

    static CniException rejected(Map<String, String> env) {
        CniException e = assertThrows(CniException.class, () -> CniEnv.parse(env));
        assertEquals(4, e.code(), e.msg());
        return e;
    }

    @Test
    void fullAddEnvironment() {
        CniEnv e = CniEnv.parse(env("ADD"));
        assertEquals(Command.ADD, e.command());
        assertEquals("c0ffee-1.2_3", e.containerId());
        assertEquals("/var/run/netns/cni-1", e.netns());
        assertEquals("eth0", e.ifname());
        assertEquals(List.of("/opt/cni/bin"), e.cniPath());
        assertEquals(Map.of("K8S_POD_NAMESPACE", "default", "K8S_POD_NAME", "web-0"), e.args());
    }

    @ParameterizedTest(name = "{0} without {1}")
    @CsvSource({
            "ADD, CNI_CONTAINERID", "ADD, CNI_NETNS", "ADD, CNI_IFNAME", "ADD, CNI_PATH",
            "DEL, CNI_CONTAINERID", "DEL, CNI_IFNAME", "DEL, CNI_PATH",
            "CHECK, CNI_CONTAINERID", "CHECK, CNI_NETNS", "CHECK, CNI_IFNAME", "CHECK, CNI_PATH",
            "STATUS, CNI_PATH", "GC, CNI_PATH",
    })
    void missingRequiredVariableNamesIt(String command, String variable) {
        Map<String, String> env = env(command);
        env.remove(variable);
        assertTrue(rejected(env).msg().contains(variable));
        env.put(variable, ""); // empty counts as missing
        assertTrue(rejected(env).msg().contains(variable));
    }

    @Test
    void allMissingVariablesAreListed() {
        CniException e = rejected(Map.of("CNI_COMMAND", "ADD"));
        assertEquals("required environment variables CNI_CONTAINERID, CNI_NETNS, CNI_IFNAME, CNI_PATH missing", e.msg());
    }

    @Test
    void delWorksWithoutNetns() {
        Map<String, String> env = env("DEL");
        env.remove("CNI_NETNS");
        CniEnv e = CniEnv.parse(env);
        assertNull(e.netns());
        assertEquals("eth0", e.ifname());
    }

    @Test
    void statusAndGcNeedOnlyCommandAndPath() {
        for (String command : List.of("STATUS", "GC")) {
            Map<String, String> env = Map.of("CNI_COMMAND", command, "CNI_PATH", "/a:/b",
                    "CNI_IFNAME", "not/validated/here");
            CniEnv e = CniEnv.parse(env);
            assertEquals(List.of("/a", "/b"), e.cniPath());
            assertNull(e.ifname(), "unused variables are not passed on");
            assertNull(e.containerId());
        }
    }

    @Test
    void versionNeedsOnlyTheCommand() {
        CniEnv e = CniEnv.parse(Map.of("CNI_COMMAND", "VERSION"));
        assertEquals(Command.VERSION, e.command());
        assertEquals(List.of(), e.cniPath());
    }

    @Test
    void missingOrUnknownCommand() {
        assertTrue(rejected(Map.of()).msg().contains("CNI_COMMAND"));
        CniException e = rejected(Map.of("CNI_COMMAND", "add"));
        assertEquals("invalid environment variable CNI_COMMAND: unknown CNI_COMMAND \"add\"", e.msg());
        assertTrue(rejected(Map.of("CNI_COMMAND", "FROB", "CNI_PATH", "/x")).msg().contains("CNI_COMMAND"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-abc", "_abc", ".abc", "a b", "a/b", "a:b", "ab\n", "ä"})
    void invalidContainerIdIsRejected(String id) {
        Map<String, String> env = env("DEL");
        env.put("CNI_CONTAINERID", id);
        assertTrue(rejected(env).msg().startsWith("invalid environment variable CNI_CONTAINERID"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0123456789abcdef", "éééééééé", ".", "..", "a/b", "a:b", "a b", "a\tb", "eth0\n", "a\u00a0b"})
    void invalidIfnameIsRejected(String ifname) {
        for (String command : List.of("ADD", "DEL", "CHECK")) {
            Map<String, String> env = env(command);
            env.put("CNI_IFNAME", ifname);
            assertTrue(rejected(env).msg().startsWith("invalid environment variable CNI_IFNAME"), ifname);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"0123456789abcde", "e", "eth0", "veth-1.2_x", "...", "é"})
    void validIfnames(String ifname) {
        Map<String, String> env = env("ADD");
        env.put("CNI_IFNAME", ifname);
        assertEquals(ifname, CniEnv.parse(env).ifname());
    }

    @Test
    void cniArgsParsing() {
        assertEquals(Map.of("A", "1", "B", "x=y", "C", ""), CniArgs.parse("A=1;;B=x=y;C=;"));
        assertEquals(Map.of(), CniArgs.parse(""));
        assertEquals(Map.of(), CniArgs.parse(null));
        Map<String, String> env = env("ADD");
        env.put("CNI_ARGS", "IgnoreUnknown=1;oops");
        CniException e = rejected(env);
        assertTrue(e.msg().startsWith("invalid environment variable CNI_ARGS"), e.msg());
        assertTrue(e.msg().contains("oops"), e.msg());
        env.put("CNI_ARGS", "=v");
        rejected(env);
    }

    @Test
    void cniPathParsing() {
        Map<String, String> env = env("ADD");
        env.put("CNI_PATH", "/opt/cni/bin::/usr/libexec/cni:");
        assertEquals(List.of("/opt/cni/bin", "/usr/libexec/cni"), CniEnv.parse(env).cniPath());
        env.put("CNI_PATH", "::");
        assertTrue(rejected(env).msg().contains("CNI_PATH"));
    }

    @Test
    void tableMatchesTheSpec() {
        assertTrue(CniEnvVar.NETNS.requiredFor(Command.ADD));
        assertTrue(!CniEnvVar.NETNS.requiredFor(Command.DEL) && CniEnvVar.NETNS.acceptedFor(Command.DEL));
        assertTrue(!CniEnvVar.PATH.requiredFor(Command.VERSION));
        for (Command c : Command.values()) {
            assertTrue(CniEnvVar.COMMAND.requiredFor(c));
            assertTrue(!CniEnvVar.ARGS.requiredFor(c));
        }
        assertDoesNotThrow(() -> CniEnv.parse(env("CHECK")));
    }
}
