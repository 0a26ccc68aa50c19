package dev.jcni.agent.source.file;

import dev.jcni.agent.ClusterState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

class FileSourceTest {
    @Test
    void parsesNodesIncludingDualStack() {
        ClusterState s = FileSource.parse("""
                {"nodes":[{"name":"n1","ip":"10.10.10.10","podcidr":"10.240.0.0/24"},
                          {"name":"n2","ip":"10.10.10.11","podcidrs":["10.240.1.0/24","fd00:10:240:1::/64"]}]}""");
        assertEquals(2, s.nodes().size());
        assertEquals(2, s.node("n2").orElseThrow().podCidrs().size());
    }

    @Test
    void invalidFilesAreRejectedNamingTheProblem() {
        assertThrows(RuntimeException.class, () -> FileSource.parse("{\"nodes\":[{\"name\":\"n1\"}]}"));
        assertThrows(RuntimeException.class, () -> FileSource.parse("{\"nodes\":[{\"name\":\"n1\",\"ip\":\"x\"}]}"));
        assertThrows(RuntimeException.class, () -> FileSource.parse("not json"));
    }

    @Test
    void reReadsOnChangeAndKeepsLastGoodStateOnGarbage(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("nodes.json");
        Files.writeString(f, "{\"nodes\":[{\"name\":\"n1\",\"ip\":\"10.10.10.10\",\"podcidr\":\"10.240.0.0/24\"}]}");
        BlockingQueue<ClusterState> q = new LinkedBlockingQueue<>();
        try (FileSource src = new FileSource(f)) {
            src.start(q::add);
            assertEquals(1, q.poll(10, TimeUnit.SECONDS).nodes().size());
            assertTrue(src.status().connected());
            Files.writeString(f, "{ broken");
            Path tmp = dir.resolve("nodes.json.tmp");
            Files.writeString(tmp, "{\"nodes\":[{\"name\":\"n1\",\"ip\":\"10.10.10.10\",\"podcidr\":\"10.240.0.0/24\"},"
                    + "{\"name\":\"n2\",\"ip\":\"10.10.10.11\",\"podcidr\":\"10.240.1.0/24\"}]}");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (src.status().connected() && System.nanoTime() < deadline) Thread.sleep(50);
            assertFalse(src.status().connected(), "a broken file is reported");
            assertTrue(q.isEmpty(), "and no snapshot is delivered for it");
            Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            ClusterState next = q.poll(10, TimeUnit.SECONDS);
            assertNotNull(next, "an atomic rename is seen");
            assertEquals(2, next.nodes().size());
        }
    }
}
