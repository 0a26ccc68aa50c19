package dev.jcni.handoff;

import dev.jcni.json.Json;
import dev.jcni.json.JsonObject;
import dev.jcni.testing.Cni;
import dev.jcni.testing.Dist;
import dev.jcni.testing.LabRun;
import dev.jcni.testing.Privileged;
import dev.jcni.testing.Sh;
import dev.jcni.testing.TestNamespaces;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The native plugin executable (src/main/c/jcni-shim.c, built by scripts/build-shim.sh as dist/bin/jcni
 * with the sh launcher beside it as jcni-java): what it hands to the agent and how, checked against a
 * stand-in agent that records the frames, then against a real agent. Every CNI call runs inside a node
 * namespace of the test's own, also those that end up in the Java plugin.
 */
@Privileged
class ShimIT {
    @TempDir
    Path tmp;

    private Path shim;

    @BeforeEach
    void shimBuilt() throws IOException {
        Path bin = Dist.home().resolve("bin");
        assumeTrue(Files.exists(bin.resolve("jcni-java")),
                "skipped: " + bin.resolve("jcni-java") + " does not exist: the native shim was not built (scripts/build-shim.sh dist/bin)");
        shim = Dist.jcni();
        byte[] head = new byte[4];
        try (InputStream in = Files.newInputStream(shim)) {
            assumeTrue(in.readNBytes(head, 0, 4) == 4 && head[0] == 0x7f && head[1] == 'E' && head[2] == 'L' && head[3] == 'F',
                    "skipped: " + shim + " is the sh launcher, not the shim (no C compiler when scripts/build-shim.sh ran)");
        }
    }

    @Test
    void withoutACniCommandOrForVersionItIsTheJavaLauncherFoundBesideItsOwnFileNotThroughArgv0() throws IOException {
        // Called through a symlink in another directory: jcni-java is looked up next to the real file.
        Path link = Files.createDirectories(tmp.resolve("elsewhere")).resolve("jcni");
        Files.createSymbolicLink(link, shim);
        Sh.Result version = Sh.run(List.of("env", "-i", link.toString(), "--version"), "").ok();
        assertTrue(version.out().startsWith("jcni "), version.out());
        Sh.Result cni = Sh.run(List.of("env", "-i", "CNI_COMMAND=VERSION", link.toString()), "").ok();
        assertTrue(cni.out().contains("supportedVersions"), cni.out());
        Files.delete(link); // @TempDir warns about links that point out of it
    }

    @Test
    void theShimSpeaksTheFramesTheAgentReadsAndPrintsTheAnswerAsIs() throws Exception {
        try (TestNamespaces ns = new TestNamespaces(); FakeAgent agent = new FakeAgent(tmp.resolve("agent.sock"), (a, ch) -> {
            a.read(ch);
            a.answer(ch, new HandoffFrames.Response(3, utf8("{\"résultat\":1}\n"), utf8("a warning\n")));
        })) {
            ns.create("node");
            Map<String, String> env = Cni.env("DEL", "fake1", null, "eth0");
            env.put("CNI_ARGS", "K8S_POD_NAME=web;IgnoreUnknown=1");
            // The path written with \/ escapes, as some JSON writers do: the shim decodes them.
            String stdin = config(agent.socket, "1.0.0").replace(agent.socket.toString(), agent.socket.toString().replace("/", "\\/"));
            Cni.Call call = Cni.call(ns.fullName("node"), env, stdin);

            assertEquals(3, call.exit(), call.stderr());
            assertEquals("{\"résultat\":1}\n", call.stdout(), "stdout byte for byte");
            assertEquals("a warning\n", call.stderr());
            assertEquals(1, agent.requests.size());
            HandoffFrames.Request sent = agent.requests.getFirst();
            assertEquals(env, sent.env(), "exactly the plugin's environment");
            assertArrayEquals(utf8(stdin), sent.stdin(), "stdin byte for byte");
        }
    }

    @Test
    void anAgentThatDoesNotRunTheRequestOrIsNotThereSendsItToJava() throws Exception {
        try (TestNamespaces ns = new TestNamespaces(); FakeAgent agent = new FakeAgent(tmp.resolve("busy.sock"), (a, ch) -> {
            a.read(ch);
            a.answer(ch, HandoffFrames.Response.notServed());
        })) {
            ns.create("node");
            // "Not served": the shim runs Java, whose own client asks again, hears the same, and runs DEL itself.
            Cni.Call busy = Cni.call(ns.fullName("node"), Cni.env("DEL", "busy1", null, "eth0"), config(agent.socket, "1.1.0")).ok();
            assertEquals(2, agent.requests.size(), "asked by the shim, then by the Java plugin: " + busy.stderr());
            assertTrue(busy.stderr().contains("DEL busy1"), "the Java plugin ran it: " + busy.stderr());

            // No socket at the path: Java, with stdin handed on intact (DEL decodes the config).
            Cni.Call none = Cni.call(ns.fullName("node"), Cni.env("DEL", "none1", null, "eth0"), config(tmp.resolve("absent.sock"), "1.1.0")).ok();
            assertTrue(none.stderr().contains("DEL none1"), none.stderr());

            // More than 1 MiB of config: too large for a frame, so neither client sends it.
            Map<String, Object> big = new LinkedHashMap<>(JsonObject.parse(config(agent.socket, "1.1.0")).map());
            big.put("padding", "x".repeat((1 << 20) + 10));
            Cni.Call large = Cni.call(ns.fullName("node"), Cni.env("DEL", "big1", null, "eth0"), Json.write(big)).ok();
            assertTrue(large.stderr().contains("DEL big1"), large.stderr());
            assertEquals(2, agent.requests.size(), "the oversized config never reached the agent");
        }
    }

    @Test
    void anAgentThatTakesTheRequestAndGoesAwayMeansTryAgainFromTheShimAsFromJava() throws Exception {
        List<FakeAgent.Handler> broken = List.of(
                (a, ch) -> a.read(ch),                                                     // closes without a word
                (a, ch) -> { a.read(ch); ch.write(ByteBuffer.wrap(new byte[] {0, 0, 0, 0, 0, 0})); }, // half an answer
                (a, ch) -> { a.read(ch); ch.write(ByteBuffer.wrap(new byte[] {0, 0, 0, 0, 0x7f, 0, 0, 0})); }); // not a frame
        int i = 0;
        for (FakeAgent.Handler h : broken) {
            try (TestNamespaces ns = new TestNamespaces(); FakeAgent agent = new FakeAgent(tmp.resolve("gone" + i++ + ".sock"), h)) {
                ns.create("node");
                String stdin = config(agent.socket, "1.0.0");
                Map<String, Object> viaShim = Cni.call(ns.fullName("node"), Cni.env("ADD", "gone1", null, "eth0"), stdin).json();
                assertEquals(11, ((Number) viaShim.get("code")).intValue(), viaShim.toString());
                assertEquals("1.0.0", viaShim.get("cniVersion"), "in the config's version");
                assertEquals("the jcni agent did not answer; try again", viaShim.get("msg"));
                assertTrue(String.valueOf(viaShim.get("details")).contains(agent.socket.toString()), viaShim.toString());

                // The Java plugin, run the same way, answers the same.
                List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns.fullName("node"), "env", "-i"));
                Cni.env("ADD", "gone2", null, "eth0").forEach((k, v) -> cmd.add(k + "=" + v));
                cmd.add(shim.resolveSibling("jcni-java").toString());
                Map<String, Object> viaJava = JsonObject.parse(Sh.run(cmd, stdin).out()).map();
                assertEquals(11, ((Number) viaJava.get("code")).intValue(), viaJava.toString());
                assertEquals(viaShim.get("msg"), viaJava.get("msg"));
                assertEquals(2, agent.requests.size(), "both sent their request");
            }
        }
    }

    @Test
    void withARealAgentTheShimIsServedFallsBackWhenItIsGoneAndSaysTryAgainWhenItDiesMidRequest() throws Exception {
        // The agent starts through the shim too (no CNI_COMMAND: straight to jcni-java).
        try (TestNamespaces ns = new TestNamespaces(); AgentNode an = AgentNode.start(ns, tmp, shim)) {
            String node = an.node;
            String stdin = an.stdin;
            Process agent = an.agent;
            for (String p : List.of("p1", "p2", "p3")) ns.create(p);

            Cni.Call served = Cni.call(node, Cni.env("ADD", "s1", ns.path("p1").toString(), "eth0"), stdin).ok();
            Map<String, String> local = Cni.env("ADD", "s2", ns.path("p2").toString(), "eth0");
            local.put("JCNI_NO_HANDOFF", "1");
            Cni.Call inProcess = Cni.call(node, local, stdin).ok();
            String log = Files.readString(tmp.resolve("agent.log"));
            assertTrue(log.contains("served ADD s1/eth0 (exit 0)"), "the agent served s1:\n" + log);
            assertFalse(log.contains("served ADD s2/eth0"), "s2 ran in the Java plugin");
            assertEquals(HandoffIT.shape(inProcess.json()), HandoffIT.shape(served.json()), "same result either way");
            String s2 = ((String) ((Map<?, ?>) ((List<?>) inProcess.json().get("ips")).getFirst()).get("address")).split("/")[0];
            assertTrue(Sh.ping(ns.fullName("p1"), s2), "the two pods reach each other");

            // The agent dies in the middle of the ADD it serves: try again (11), and the agent is gone.
            Map<String, String> dying = Cni.env("ADD", "s3", ns.path("p3").toString(), "eth0");
            dying.put("JCNI_TEST_HALT_AT", "veth");
            Map<String, Object> lost = Cni.call(node, dying, stdin).json();
            assertEquals(11, ((Number) lost.get("code")).intValue(), lost.toString());
            assertEquals("the jcni agent did not answer; try again", lost.get("msg"));
            agent.waitFor();
            assertTrue(Files.exists(tmp.resolve("state/plugin.sock")), "a killed agent leaves its socket file: the shim meets a refusal");

            // Now every call falls back to Java, stdin included: the runtime's DEL cleans up, the retry works.
            Cni.call(node, Cni.env("DEL", "s3", ns.path("p3").toString(), "eth0"), stdin).ok();
            assertFalse(Sh.ip(node, "link").out().contains(dev.jcni.plugin.InterfaceNames.hostVeth("s3", "eth0")), "no veth of s3");
            Cni.call(node, Cni.env("ADD", "s3", ns.path("p3").toString(), "eth0"), stdin).ok();
            for (String c : List.of("s1", "s2", "s3")) {
                Cni.call(node, Cni.env("DEL", c, ns.path("p" + c.substring(1)).toString(), "eth0"), stdin).ok();
            }
            assertFalse(Sh.ip(node, "link").out().contains(" jc"), "no veth left");
            try (var files = Files.list(tmp.resolve("state/ipam/jcni"))) {
                assertEquals(0, files.filter(f -> f.getFileName().toString().startsWith("10.240.")).count(), "no reservation left");
            }
            assertFalse(Files.readString(tmp.resolve("agent.log")).contains("served DEL s1"), "the DELs ran after the agent died");
        }
    }

    /** A jcni plugin config (type jcni, its own data dir) that names {@code socket} as the agent's. */
    private String config(Path socket, String cniVersion) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("cniVersion", cniVersion);
        c.put("name", "shimtest");
        c.put("type", "jcni");
        c.put("podcidr", "10.240.0.0/24");
        c.put("dataDir", tmp.resolve("ipam").toString());
        c.put("note", "grüße"); // not ASCII: the bytes go through unchanged
        c.put("agentSocket", socket.toString());
        return Json.write(c);
    }

    private static byte[] utf8(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    /** Stands in for the agent on a unix socket: records each request frame and answers as its handler says. */
    private static final class FakeAgent implements AutoCloseable {
        interface Handler {
            void handle(FakeAgent agent, SocketChannel ch) throws IOException;
        }

        final Path socket;
        final List<HandoffFrames.Request> requests = Collections.synchronizedList(new ArrayList<>());
        private final ServerSocketChannel server;
        private volatile boolean closed;

        FakeAgent(Path socket, Handler handler) throws IOException {
            this.socket = socket;
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket));
            Thread.ofPlatform().name("fake-agent").daemon().start(() -> {
                while (!closed) {
                    try (SocketChannel ch = server.accept()) {
                        handler.handle(this, ch);
                    } catch (IOException e) {
                        if (!closed) System.err.println("fake agent: " + e);
                    }
                }
            });
        }

        void read(SocketChannel ch) throws IOException {
            requests.add(HandoffFrames.readRequest(new BufferedInputStream(Channels.newInputStream(ch))));
        }

        void answer(SocketChannel ch, HandoffFrames.Response r) throws IOException {
            Channels.newOutputStream(ch).write(HandoffFrames.encodeResponse(r));
        }

        @Override
        public void close() throws IOException {
            closed = true;
            server.close();
            Files.deleteIfExists(socket);
        }
    }
}
