package dev.jcni.plugin;

import dev.jcni.spec.Dns;
import dev.jcni.spec.Route;

import java.util.List;

/** What the address source gave an attachment: its addresses, and any routes or DNS the IPAM plugin chose. */
public record Lease(List<PodAddress> addresses, List<Route> routes, Dns dns) {}
