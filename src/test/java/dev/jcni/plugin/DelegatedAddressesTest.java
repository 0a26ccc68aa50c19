package dev.jcni.plugin;

import dev.jcni.spec.CniException;
import dev.jcni.spec.CniRequest;
import dev.jcni.spec.Command;
import dev.jcni.spec.Dns;
import dev.jcni.spec.NetConf;
import dev.jcni.spec.Route;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Delegated IPAM against a /bin/sh fake on a temp CNI_PATH (no root): what ADD takes from it, and forwarding. */
class DelegatedAddressesTest {
    @TempDir
    Path tmp;
    Path plugin;

    static final String CONF = "{\"cniVersion\":\"1.0.0\",\"name\":\"net1\",\"type\":\"jcni\",\"ipam\":{\"type\":\"fake-ipam\"}}";

    @BeforeEach
    void setUp() throws IOException {
        plugin = tmp.resolve("fake-ipam");
        // Records each verb and its stdin; ADD prints fake-ipam.result, and exits with fake-ipam.exit if present.
        Files.writeString(plugin, """
                #!/bin/sh
                printf '%s\\n' "$CNI_COMMAND" >> "$0.log"
                cat > "$0.stdin"
                if [ "$CNI_COMMAND" = ADD ]; then cat "$0.result"; fi
                if [ -f "$0.exit" ]; then exit "$(cat "$0.exit")"; fi
                exit 0
                """);
        Files.setPosixFilePermissions(plugin, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private CniRequest request(Command command) {
        byte[] stdin = CONF.getBytes(StandardCharsets.UTF_8);
        Map<String, String> env = Map.of("CNI_COMMAND", command.name(), "CNI_CONTAINERID", "c1", "CNI_IFNAME", "eth0",
                "CNI_PATH", tmp.toString(), "PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        return new CniRequest(command, "c1", "/run/netns/x", "eth0", Map.of(), List.of(tmp.toString()),
                NetConf.parse(stdin), stdin, env);
    }

    private DelegatedAddresses source() {
        return (DelegatedAddresses) AddressSource.of(PluginConfig.from(request(Command.ADD).conf()));
    }

    private void result(String json) throws IOException { Files.writeString(Path.of(plugin + ".result"), json); }

    private List<String> verbs() throws IOException {
        Path log = Path.of(plugin + ".log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    @Test
    void addTakesAddressesRoutesAndDns() throws IOException {
        result("""
                {"cniVersion":"1.0.0","ips":[{"address":"10.240.0.9/24","gateway":"10.240.0.254"}],
                 "routes":[{"dst":"192.168.0.0/16"}],"dns":{"nameservers":["10.96.0.10"]}}""");
        Lease l = source().allocate(request(Command.ADD));
        assertEquals("10.240.0.9/24", l.addresses().getFirst().address().toString());
        assertEquals("10.240.0.254", l.addresses().getFirst().gateway().getHostAddress());
        assertEquals(List.of(new Route("192.168.0.0/16", null)), l.routes());
        assertEquals(new Dns(List.of("10.96.0.10"), null, List.of(), List.of()), l.dns());
        assertEquals(List.of("ADD"), verbs());
        assertArrayEquals(CONF.getBytes(StandardCharsets.UTF_8), Files.readAllBytes(Path.of(plugin + ".stdin")),
                "the delegate gets the same config");
    }

    @Test
    void missingGatewayDefaultsToTheFirstHost() throws IOException {
        result("{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"10.240.0.9/24\"},{\"address\":\"fd00:10:240::9/64\"}]}");
        Lease l = source().allocate(request(Command.ADD));
        assertEquals("10.240.0.1", l.addresses().get(0).gateway().getHostAddress());
        assertEquals("fd00:10:240:0:0:0:0:1", l.addresses().get(1).gateway().getHostAddress());
    }

    @Test
    void aResultWithoutAddressesIsReleasedAndRefused() throws IOException {
        result("{\"cniVersion\":\"1.0.0\",\"ips\":[]}");
        CniException e = assertThrows(CniException.class, () -> source().allocate(request(Command.ADD)));
        assertTrue(e.code() >= 100, "plugin-specific: " + e.code());
        assertTrue(e.msg().contains("fake-ipam"), e.msg());
        assertEquals(List.of("ADD", "DEL"), verbs(), "what the delegate may have reserved is released");
    }

    @Test
    void theDelegatesErrorIsPassedBack() throws IOException {
        result("{\"cniVersion\":\"1.0.0\",\"code\":11,\"msg\":\"busy\",\"details\":\"try later\"}");
        Files.writeString(Path.of(plugin + ".exit"), "1");
        CniException e = assertThrows(CniException.class, () -> source().allocate(request(Command.ADD)));
        assertEquals(11, e.code());
        assertEquals("busy", e.msg());
        assertEquals("try later", e.details());
    }

    @Test
    void delCheckStatusAndGcAreForwarded() throws IOException {
        DelegatedAddresses s = source();
        s.release(request(Command.DEL));
        s.check(request(Command.CHECK), null);
        s.status(request(Command.STATUS));
        s.gc(request(Command.GC));
        assertEquals(List.of("DEL", "CHECK", "STATUS", "GC"), verbs());
    }
}
