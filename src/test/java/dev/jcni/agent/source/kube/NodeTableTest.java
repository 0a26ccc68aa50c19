package dev.jcni.agent.source.kube;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static dev.jcni.agent.source.kube.Nodes.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodeTableTest {

    @Test
    void addChangeRemove() {
        NodeTable table = new NodeTable();
        NodeTable.Change added = table.put(node("n1", "192.168.1.10", "10.244.1.0/24"));
        assertTrue(added.changed());
        assertEquals("node n1 added: 192.168.1.10 pods [10.244.1.0/24]", added.logLine());

        NodeTable.Change changed = table.put(node("n1", "192.168.1.10", "10.244.8.0/24"));
        assertEquals("node n1 changed: 192.168.1.10 pods [10.244.8.0/24]", changed.logLine());

        NodeTable.Change removed = table.remove("n1");
        assertTrue(removed.changed());
        assertEquals("node n1 removed", removed.logLine());
        assertEquals(0, table.snapshot().nodes().size());
    }

    @Test
    void aHeartbeatChangesNothing() {
        NodeTable table = new NodeTable();
        table.put(node("n1", "192.168.1.10", "10.244.1.0/24"));
        Node heartbeat = new NodeBuilder(node("n1", "192.168.1.10", "10.244.1.0/24"))
                .editMetadata().withResourceVersion("42").addToLabels("new", "label").endMetadata()
                .editStatus().addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus()
                .build();
        assertFalse(table.put(heartbeat).changed());
    }

    @Test
    void removingAnUnknownNodeChangesNothing() {
        assertFalse(new NodeTable().remove("ghost").changed());
    }

    @Test
    void skippedNodesStayOutOfTheSnapshotAndWarnOnce() {
        NodeTable table = new NodeTable();
        Node noIp = new NodeBuilder(node("n2", "192.168.1.11")).editStatus().withAddresses(java.util.List.of()).endStatus().build();
        table.put(node("n1", "192.168.1.10", "10.244.1.0/24"));
        NodeTable.Change first = table.put(noIp);
        assertTrue(first.changed());
        assertTrue(first.hasProblems());
        assertFalse(table.put(noIp).changed(), "the same problem again is not news");
        assertEquals(Set.of("n1"), table.snapshot().nodes().keySet());
        assertEquals(2, table.size());
        assertEquals(1, table.skipped());
    }
}
