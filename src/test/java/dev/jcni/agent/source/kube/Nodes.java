package dev.jcni.agent.source.kube;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;

import java.util.List;

/** Node objects as a kubelet and the node IPAM controller would leave them. */
final class Nodes {
    private Nodes() {}

    /** A node with one InternalIP (plus a Hostname address) and the given spec.podCIDRs. */
    static Node node(String name, String internalIp, String... podCidrs) {
        return new NodeBuilder()
                .withNewMetadata().withName(name).addToLabels("kubernetes.io/hostname", name).endMetadata()
                .withNewSpec()
                    .withPodCIDR(podCidrs.length == 0 ? null : podCidrs[0])
                    .withPodCIDRs(List.of(podCidrs))
                .endSpec()
                .withNewStatus()
                    .addNewAddress().withType("InternalIP").withAddress(internalIp).endAddress()
                    .addNewAddress().withType("Hostname").withAddress(name).endAddress()
                .endStatus()
                .build();
    }
}
