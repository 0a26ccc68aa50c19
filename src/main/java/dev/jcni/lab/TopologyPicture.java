package dev.jcni.lab;

import dev.jcni.agent.datapath.RouteReconciler;
import dev.jcni.netlink.Inet;
import dev.jcni.netlink.NetNs;
import dev.jcni.netlink.Netlink;
import dev.jcni.netlink.Route;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.jcni.netlink.codec.Rtnl.AF_INET;

/**
 * {@code jcni lab topology}: nodes, bridges, pods, underlay and the agents' routes, as text on the
 * terminal, or as SVG (a browser opens it) or Graphviz DOT. Routes are read live from each node.
 */
public final class TopologyPicture {
    private final PrintStream out;

    public TopologyPicture(PrintStream out) { this.out = out; }

    record NodeView(LabState.NodeRecord node, List<LabState.PodRecord> pods, List<String> routes) {}

    public int render(Path labDir, Path svg, Path dot) throws IOException {
        LabState state = LabState.load(labDir).orElse(null);
        if (state == null) {
            out.println("no lab is up in " + labDir);
            return 1;
        }
        List<NodeView> views = new ArrayList<>();
        for (LabState.NodeRecord n : state.nodes) {
            List<String> routes = new ArrayList<>();
            try (Netlink nl = Netlink.openIn(NetNs.pathOf(n.netns()))) {
                for (Route r : nl.routes().listMain(AF_INET)) {
                    if (r.protocol() != RouteReconciler.PROTOCOL || r.dst() == null) continue;
                    routes.add(r.dst().network() + " via " + Inet.format(r.gateway()) + " dev " + nl.links().get(r.oif()).name());
                }
            }
            views.add(new NodeView(n, state.pods.stream().filter(p -> p.node().equals(n.name())).toList(), routes));
        }
        if (svg != null) {
            Files.writeString(svg, svg(state, views));
            out.println("wrote " + svg);
        }
        if (dot != null) {
            Files.writeString(dot, dot(state, views));
            out.println("wrote " + dot);
        }
        if (svg == null && dot == null) text(state, views);
        return 0;
    }

    private void text(LabState state, List<NodeView> views) {
        out.println("internet 203.0.113.10 ── router " + state.spec.prefix() + "-rt (10.10.10.1" + (state.spec.subnets() == 2 ? ", 10.10.20.1" : "") + ")");
        out.println("                             │ underlay switch " + state.spec.prefix() + "-sw (br0)");
        for (NodeView v : views) {
            out.printf("  ├─ %s  eth0 %s   pod CIDR %s%n", v.node().name(), v.node().ip(), v.node().podCidr());
            for (String r : v.routes()) out.printf("  │     route %s%n", r);
            out.printf("  │     bridge cni0 %s%n", gateway(v.node().podCidr()));
            for (LabState.PodRecord p : v.pods()) out.printf("  │       └─ veth ── %s eth0 %s%n", p.name(), p.ip());
        }
    }

    private static String gateway(String podCidr) {
        if (podCidr == null) return "";
        String net = podCidr.substring(0, podCidr.indexOf('/'));
        return net.substring(0, net.lastIndexOf('.')) + ".1";
    }

    static String esc(String s) { return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"); }

    String svg(LabState state, List<NodeView> views) {
        int nodeW = 360, gap = 30, podH = 46;
        int maxPods = views.stream().mapToInt(v -> v.pods().size()).max().orElse(1);
        int maxRoutes = views.stream().mapToInt(v -> v.routes().size()).max().orElse(0);
        int nodeH = 150 + maxRoutes * 16 + maxPods * (podH + 10);
        int width = Math.max(900, views.size() * (nodeW + gap) + gap);
        int top = 170;
        int height = top + nodeH + 60;
        StringBuilder s = new StringBuilder();
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(width).append(' ').append(height).append("\" font-family=\"monospace\" font-size=\"12\">\n");
        s.append("<title>jcni lab ").append(esc(state.spec.prefix())).append("</title>\n");
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
        // internet and router
        s.append(box(gap, 20, 220, 44, "#fde68a", "internet 203.0.113.10", "no route to pod ranges"));
        s.append(box(gap + 300, 20, 260, 44, "#e5e7eb", "router " + state.spec.prefix() + "-rt", "10.10.10.1 / 203.0.113.1"));
        s.append(line(gap + 220, 42, gap + 300, 42, "#6b7280"));
        // underlay switch bar
        int barY = 110;
        s.append("<rect x=\"").append(gap).append("\" y=\"").append(barY).append("\" width=\"").append(width - 2 * gap)
                .append("\" height=\"22\" rx=\"4\" fill=\"#93c5fd\"/>\n");
        s.append(text(gap + 8, barY + 15, "underlay switch " + state.spec.prefix() + "-sw (br0) 10.10.10.0/24"
                + (state.spec.subnets() == 2 ? " · 10.10.20.0/24 via the router" : ""), "#1e3a8a"));
        s.append(line(gap + 430, 64, gap + 430, barY, "#6b7280"));
        for (int i = 0; i < views.size(); i++) {
            NodeView v = views.get(i);
            int x = gap + i * (nodeW + gap);
            s.append(line(x + nodeW / 2, barY + 22, x + nodeW / 2, top, "#6b7280"));
            s.append("<rect x=\"").append(x).append("\" y=\"").append(top).append("\" width=\"").append(nodeW).append("\" height=\"")
                    .append(nodeH).append("\" rx=\"8\" fill=\"#f3f4f6\" stroke=\"#374151\"/>\n");
            s.append(text(x + 10, top + 18, "node " + v.node().name() + " (" + v.node().netns() + ")", "#111827"));
            s.append(text(x + 10, top + 34, "eth0 " + v.node().ip() + "  pods " + v.node().podCidr(), "#374151"));
            int y = top + 54;
            for (String r : v.routes()) {
                s.append(text(x + 10, y, "→ " + r, "#7c2d12"));
                y += 16;
            }
            y += 6;
            s.append(box(x + 20, y, nodeW - 40, 30, "#bbf7d0", "bridge cni0 " + gateway(v.node().podCidr()), null));
            int by = y + 30;
            y += 50;
            for (LabState.PodRecord p : v.pods()) {
                s.append(line(x + nodeW / 2, by, x + nodeW / 2, y, "#059669"));
                s.append(box(x + 40, y, nodeW - 80, podH - 8, "#ddd6fe", "pod " + p.name(), "eth0 " + p.ip()));
                by = y + podH - 8;
                y += podH + 10;
            }
        }
        s.append(text(gap, height - 20, "routes in brown are the agent's (proto " + RouteReconciler.PROTOCOL + "), backend "
                + state.spec.backend().label(), "#6b7280"));
        s.append("</svg>\n");
        return s.toString();
    }

    private static String box(int x, int y, int w, int h, String fill, String l1, String l2) {
        StringBuilder s = new StringBuilder();
        s.append("<rect x=\"").append(x).append("\" y=\"").append(y).append("\" width=\"").append(w).append("\" height=\"").append(h)
                .append("\" rx=\"6\" fill=\"").append(fill).append("\" stroke=\"#374151\"/>\n");
        s.append(text(x + 8, y + 16, l1, "#111827"));
        if (l2 != null) s.append(text(x + 8, y + 31, l2, "#374151"));
        return s.toString();
    }

    private static String text(int x, int y, String t, String color) {
        return "<text x=\"" + x + "\" y=\"" + y + "\" fill=\"" + color + "\">" + esc(t) + "</text>\n";
    }

    private static String line(int x1, int y1, int x2, int y2, String color) {
        return "<line x1=\"" + x1 + "\" y1=\"" + y1 + "\" x2=\"" + x2 + "\" y2=\"" + y2 + "\" stroke=\"" + color + "\" stroke-width=\"2\"/>\n";
    }

    String dot(LabState state, List<NodeView> views) {
        StringBuilder s = new StringBuilder("graph jcni_lab {\n  node [shape=box, fontname=monospace];\n");
        s.append("  internet [label=\"internet\\n203.0.113.10\"];\n  router [label=\"router\"];\n  underlay [label=\"underlay switch br0\"];\n");
        s.append("  internet -- router;\n  router -- underlay;\n");
        for (NodeView v : views) {
            String n = v.node().name();
            s.append("  subgraph cluster_").append(n).append(" {\n    label=\"").append(n).append(" ").append(v.node().ip())
                    .append(" pods ").append(v.node().podCidr()).append("\";\n");
            s.append("    ").append(n).append("_cni0 [label=\"cni0 ").append(gateway(v.node().podCidr())).append("\"];\n");
            for (LabState.PodRecord p : v.pods()) {
                String id = p.name().replace('-', '_');
                s.append("    ").append(id).append(" [label=\"").append(p.name()).append("\\n").append(p.ip()).append("\"];\n");
                s.append("    ").append(n).append("_cni0 -- ").append(id).append(" [label=\"veth\"];\n");
            }
            s.append("  }\n  underlay -- ").append(n).append("_cni0 [label=\"eth0 ").append(v.node().ip()).append("\"];\n");
            for (String r : v.routes()) s.append("  // ").append(n).append(": ").append(r).append('\n');
        }
        return s.append("}\n").toString();
    }
}
