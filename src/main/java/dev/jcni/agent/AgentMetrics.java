package dev.jcni.agent;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The agent's Prometheus metrics, in a registry of its own (no global state). */
public final class AgentMetrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    final Gauge nodesKnown = Gauge.builder().name("jcni_nodes_known").help("Nodes in the last cluster-state snapshot").register(registry);
    final Gauge routesProgrammed = Gauge.builder().name("jcni_routes_programmed").help("Routes to other nodes' pod CIDRs this agent owns").register(registry);
    final Gauge peersUnreachable = Gauge.builder().name("jcni_peers_unreachable").help("Peers the chosen backend cannot reach").register(registry);
    final Histogram reconcileSeconds = Histogram.builder().name("jcni_reconcile_duration_seconds").help("Time of one full reconcile").register(registry);
    final Counter reconcileErrors = Counter.builder().name("jcni_reconcile_errors_total").help("Reconciles that failed").register(registry);
    final Counter reconciles = Counter.builder().name("jcni_reconciles_total").help("Reconciles run").register(registry);
    final Gauge sourceConnected = Gauge.builder().name("jcni_source_connected").help("1 when the cluster-state source is connected").labelNames("source").register(registry);
    final Gauge ready = Gauge.builder().name("jcni_ready").help("1 once the conflist is written and a reconcile succeeded").register(registry);

    /** The Prometheus text exposition of every metric. */
    public String scrape() {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            PrometheusTextFormatWriter.create().write(out, registry.scrape(), EscapingScheme.DEFAULT);
            return out.toString(java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
