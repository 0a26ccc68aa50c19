package dev.jcni.lab;

import dev.jcni.testing.Dist;
import dev.jcni.testing.Privileged;
import dev.jcni.testing.Sh;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The lab end to end through dist/bin/jcni, as a newcomer runs it: up (every cell passes), status,
 * trace, topology, down (nothing left). Each run uses its own prefix and lab directory.
 */
@Privileged
class LabIT {
    @TempDir
    Path tmp;
    private String prefix;
    private Path labDir;

    @BeforeEach
    void names() {
        prefix = "jt" + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36, 36 * 36 * 36 * 36), 36);
        labDir = tmp.resolve("lab");
    }

    @AfterEach
    void alwaysDown() {
        jcni("lab", "down", "--lab-dir", labDir.toString(), "--prefix", prefix);
    }

    private Sh.Result jcni(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Dist.jcni().toString()));
        cmd.addAll(List.of(args));
        return Sh.run(cmd, null);
    }

    @ParameterizedTest(name = "{0}, {1} subnet(s)")
    @CsvSource({"host-gw, 1", "vxlan, 2"})
    void upStatusTraceTopologyDown(String backend, int subnets) throws Exception {
        Sh.Result up = jcni("lab", "up", "--lab-dir", labDir.toString(), "--prefix", prefix, "--backend", backend,
                "--subnets", String.valueOf(subnets), "--nodes", "2", "--pods-per-node", "2");
        System.out.println(up.out());
        assertEquals(0, up.exit(), "lab up must pass every cell:\n" + up.out() + up.err());
        assertTrue(up.out().contains("every check passed"));
        assertTrue(up.out().contains("n2-pod2"));

        Sh.Result status = jcni("lab", "status", "--lab-dir", labDir.toString(), "--prefix", prefix);
        assertEquals(0, status.exit(), status.out());
        assertTrue(status.out().contains("ready"), status.out());

        Sh.Result trace = jcni("lab", "trace", "--lab-dir", labDir.toString(), "--prefix", prefix);
        assertEquals(0, trace.exit(), trace.out());
        assertTrue(trace.out().contains("path complete"), trace.out());
        assertTrue(trace.out().contains(backend.equals("vxlan") ? "jcni.vxlan" : "host-gw"), trace.out());
        Sh.Result toNet = jcni("lab", "trace", "--lab-dir", labDir.toString(), "--prefix", prefix, "n1-pod1", "internet");
        assertTrue(toNet.out().contains("masquerade applies"), toNet.out());

        Path svg = tmp.resolve("lab.svg");
        Sh.Result topo = jcni("lab", "topology", "--lab-dir", labDir.toString(), "--prefix", prefix, "--svg", svg.toString());
        assertEquals(0, topo.exit(), topo.out());
        String svgText = Files.readString(svg);
        assertTrue(svgText.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(svg.toFile()); // well-formed XML
        assertTrue(svgText.contains("n1-pod1") && svgText.contains("cni0"));

        Sh.Result down = jcni("lab", "down", "--lab-dir", labDir.toString(), "--prefix", prefix);
        assertEquals(0, down.exit(), down.out());
        assertNothingLeft();
    }

    @Test
    void downAfterAnUpKilledHalfway() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Dist.jcni().toString(), "lab", "up", "--lab-dir", labDir.toString(),
                "--prefix", prefix, "--nodes", "2"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("up.log").toFile()).start();
        // Kill it once the agents exist (the build is halfway: namespaces, processes, files).
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && !Files.exists(labDir.resolve("n2/agent.log"))) Thread.sleep(50);
        p.destroyForcibly().waitFor();
        assertTrue(Sh.run("ip", "netns", "list").out().contains(prefix + "-"), "the killed up had made namespaces");

        Sh.Result down = jcni("lab", "down", "--lab-dir", labDir.toString(), "--prefix", prefix);
        assertEquals(0, down.exit(), down.out());
        assertNothingLeft();
        assertEquals(0, jcni("lab", "down", "--lab-dir", labDir.toString(), "--prefix", prefix).exit(), "down is idempotent");
    }

    private void assertNothingLeft() throws Exception {
        assertFalse(Sh.run("ip", "netns", "list").out().contains(prefix + "-"), "no namespaces left");
        assertFalse(Files.exists(labDir), "no lab directory left");
        Thread.sleep(200);
        StringBuilder psb = new StringBuilder();
        ProcessHandle.allProcesses().forEach(h -> {
            try {
                psb.append(new String(Files.readAllBytes(Path.of("/proc", Long.toString(h.pid()), "cmdline"))).replace('\0', ' ')).append('\n');
            } catch (java.io.IOException ignored) { }
        });
        String ps = psb.toString();
        assertFalse(ps.contains("/run/netns/" + prefix + "-"), "no agent processes left:\n" + ps);
        assertFalse(ps.contains(labDir.toString()), "no lab processes left");
        assertFalse(Sh.run("ip", "-o", "link").out().contains(prefix), "no links in the root namespace");
    }
}
