package dev.jcni.deploy;

import dev.jcni.cli.Cli;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deploy/kubernetes/jcni.yaml, read with fabric8 and checked against what jcni really does: container
 * arguments go through jcni's own command line (so defaults and typos count), RBAC is exactly what the
 * Kubernetes source needs, probes ask the port the agent listens on, host paths are the ones the agent
 * and the installer use. Then the whole file goes to fabric8's mock API server (CRUD mode) and back.
 */
class ManifestTest {
    private static final Path MANIFEST = Path.of("deploy/kubernetes/jcni.yaml");
    private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---\\s*$");
    private static List<HasMetadata> items;

    @BeforeAll
    static void load() throws IOException {
        items = new ArrayList<>();
        for (String doc : DOCUMENT_SEPARATOR.split(Files.readString(MANIFEST))) {
            if (doc.lines().allMatch(l -> l.isBlank() || l.stripLeading().startsWith("#"))) continue;
            items.add(Serialization.unmarshal(doc, HasMetadata.class));
        }
    }

    @Test
    void holdsTheNamespaceTheAccountItsRoleAndTheDaemonSet() {
        assertEquals(List.of("Namespace", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "DaemonSet"),
                items.stream().map(HasMetadata::getKind).toList());
        String ns = one(Namespace.class).getMetadata().getName();
        assertEquals("jcni-system", ns);
        assertEquals(ns, one(ServiceAccount.class).getMetadata().getNamespace());
        assertEquals(ns, one(DaemonSet.class).getMetadata().getNamespace());
    }

    @Test
    void roleGrantsReadingNodesAndNothingElse() {
        ClusterRole role = one(ClusterRole.class);
        assertNull(role.getAggregationRule());
        assertEquals(1, role.getRules().size(), "one rule: " + role.getRules());
        PolicyRule rule = role.getRules().getFirst();
        assertEquals(List.of(""), rule.getApiGroups());
        assertEquals(List.of("nodes"), rule.getResources());
        assertEquals(Set.of("get", "list", "watch"), Set.copyOf(rule.getVerbs()));
        assertEquals(3, rule.getVerbs().size());
        assertTrue(rule.getResourceNames() == null || rule.getResourceNames().isEmpty());
        assertTrue(rule.getNonResourceURLs() == null || rule.getNonResourceURLs().isEmpty());

        ClusterRoleBinding binding = one(ClusterRoleBinding.class);
        assertEquals("ClusterRole", binding.getRoleRef().getKind());
        assertEquals(role.getMetadata().getName(), binding.getRoleRef().getName());
        ServiceAccount account = one(ServiceAccount.class);
        assertEquals(1, binding.getSubjects().size());
        Subject subject = binding.getSubjects().getFirst();
        assertEquals("ServiceAccount", subject.getKind());
        assertEquals(account.getMetadata().getName(), subject.getName());
        assertEquals(account.getMetadata().getNamespace(), subject.getNamespace());
        assertEquals(account.getMetadata().getName(), pod().getServiceAccountName());
    }

    @Test
    void daemonSetRunsOnEveryNodeInTheHostNetwork() throws IOException {
        DaemonSet ds = one(DaemonSet.class);
        PodSpec pod = pod();
        assertEquals(Boolean.TRUE, pod.getHostNetwork());
        assertEquals(Boolean.TRUE, pod.getHostPID(), "the agent resolves /proc/<pid>/ns/net paths for plugin calls handed to it");
        assertEquals("system-node-critical", pod.getPriorityClassName());
        assertEquals("RollingUpdate", ds.getSpec().getUpdateStrategy().getType());
        assertTrue(pod.getTolerations().stream().anyMatch(ManifestTest::toleratesEverything), "tolerations: " + pod.getTolerations());
        assertEquals(ds.getSpec().getSelector().getMatchLabels(),
                Map.copyOf(ds.getSpec().getTemplate().getMetadata().getLabels()), "the selector picks the template's pods");
        String image = "jcni:" + projectVersion();
        assertEquals(image, initContainer().getImage(), "the image is tagged with the project's version");
        assertEquals(image, agentContainer().getImage());
    }

    @Test
    void initContainerInstallsIntoTheHostsCniBinDir() {
        CommandLine.ParseResult install = jcni(initContainer());
        assertEquals("install", install.commandSpec().name());
        Path hostRoot = option(install, "--host-root");
        String cniBinDir = option(install, "--cni-bin-dir");
        Path inContainer = hostRoot.resolve(cniBinDir.replaceFirst("^/+", ""));
        Volume v = hostPathMount(initContainer(), inContainer.toString());
        assertEquals(Path.of("/").resolve(cniBinDir).toString(), v.getHostPath().getPath(), "the node's CNI bin dir");
        assertEquals("/opt/cni/bin", v.getHostPath().getPath());
    }

    @Test
    void agentReadsKubernetesAsItsNode() {
        Container agent = agentContainer();
        CommandLine.ParseResult args = jcni(agent);
        assertEquals("agent", args.commandSpec().name());
        assertEquals("kubernetes", option(args, "--source"));
        assertEquals("auto", option(args, "--backend"));
        assertEquals("$(NODE_NAME)", option(args, "--node-name"), "expanded by the kubelet from the env below");
        EnvVar nodeName = agent.getEnv().stream().filter(e -> e.getName().equals("NODE_NAME")).findFirst()
                .orElseThrow(() -> new AssertionError("no NODE_NAME env"));
        assertEquals("spec.nodeName", nodeName.getValueFrom().getFieldRef().getFieldPath());
        assertEquals(Boolean.TRUE, agent.getSecurityContext().getPrivileged(), "writes /proc/sys/net/ipv4/ip_forward");
        assertEquals(new Quantity("50m"), agent.getResources().getRequests().get("cpu"));
        assertEquals(new Quantity("128Mi"), agent.getResources().getRequests().get("memory"));
        assertEquals(new Quantity("256Mi"), agent.getResources().getLimits().get("memory"));
    }

    @Test
    void probesAskTheAddressTheAgentServes() {
        Container agent = agentContainer();
        String addr = option(jcni(agent), "--metrics-addr");
        int colon = addr.lastIndexOf(':');
        String host = addr.substring(0, colon);
        int port = Integer.parseInt(addr.substring(colon + 1));
        checkProbe(agent.getReadinessProbe().getHttpGet(), "/readyz", host, port);
        checkProbe(agent.getLivenessProbe().getHttpGet(), "/healthz", host, port);
    }

    private static void checkProbe(HTTPGetAction get, String path, String host, int port) {
        assertNotNull(get, path + " is an httpGet probe");
        assertEquals(path, get.getPath());
        assertEquals(port, get.getPort().getIntVal(), path + " probes the --metrics-addr port");
        if (host.equals("0.0.0.0") || host.equals("::")) return; // any address of the pod (the node's) will do
        // A loopback listener is reachable only from the node itself: the kubelet must be told so, and the
        // pod must share the node's network namespace.
        assertEquals(host, get.getHost(), path + " probes the --metrics-addr host");
        assertEquals(Boolean.TRUE, pod().getHostNetwork());
    }

    @Test
    void agentMountsTheHostPathsItWorksOn() {
        Container agent = agentContainer();
        CommandLine.ParseResult args = jcni(agent);
        for (String opt : List.of("--cni-conf-dir", "--state-dir")) {
            Path p = option(args, opt);
            // Same path inside and out: the conflist names the IPAM directory under --state-dir for the
            // plugin, which reads it on the host.
            assertEquals(p.toString(), hostPathMount(agent, p.toString()).getHostPath().getPath(), opt);
        }
        assertEquals("/etc/cni/net.d", option(args, "--cni-conf-dir").toString());
        assertEquals("/var/lib/jcni", option(args, "--state-dir").toString());
        assertEquals("/var/lib/cni", hostPathMount(agent, "/var/lib/cni").getHostPath().getPath());
        assertEquals("/run/xtables.lock", hostPathMount(agent, "/run/xtables.lock").getHostPath().getPath());
        assertEquals("FileOrCreate", hostPathMount(agent, "/run/xtables.lock").getHostPath().getType(),
                "a missing lock must not become a directory");
        assertEquals("/run/netns", hostPathMount(agent, "/run/netns").getHostPath().getPath());
        assertEquals("HostToContainer", mount(agent, "/run/netns").getMountPropagation(), "pod namespaces made later show up");
        Set<String> used = pod().getInitContainers().stream().flatMap(c -> c.getVolumeMounts().stream())
                .map(VolumeMount::getName).collect(Collectors.toSet());
        pod().getContainers().forEach(c -> c.getVolumeMounts().forEach(m -> used.add(m.getName())));
        assertEquals(pod().getVolumes().stream().map(Volume::getName).collect(Collectors.toSet()), used, "every volume is used");
    }

    @Test
    void thePluginOnTheHostFindsTheAgentsSocket() {
        // The agent names its socket in the conflist; the plugin, run on the host, connects to that path.
        CommandLine.ParseResult args = jcni(agentContainer());
        String socket = option(args, "--plugin-socket");
        if ("off".equals(socket)) return;
        Path stateDir = option(args, "--state-dir");
        Path path = socket != null ? Path.of(socket) : stateDir.resolve("plugin.sock");
        VolumeMount m = agentContainer().getVolumeMounts().stream().filter(x -> path.startsWith(x.getMountPath())).findFirst()
                .orElseThrow(() -> new AssertionError(path + " is on no mount: the host would not see it"));
        assertEquals(m.getMountPath(), hostPathMount(agentContainer(), m.getMountPath()).getHostPath().getPath(),
                path + " has the same path on the host");
    }

    @Test
    void theApiServerStoresEverythingAndGivesItBack() {
        // CRUD mode: the mock keeps what it is sent and serves it back (the boolean is "use TLS").
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init();
        try (KubernetesClient client = server.createClient()) {
            for (HasMetadata item : items) {
                HasMetadata created = client.resource(item).create();
                assertNotNull(created.getMetadata().getCreationTimestamp(), item.getKind() + " stored");
            }
            for (HasMetadata item : items) {
                HasMetadata back = client.resource(item).get();
                assertNotNull(back, item.getKind() + " " + item.getMetadata().getName() + " read back");
                assertEquals(item.getMetadata().getNamespace(), back.getMetadata().getNamespace());
            }
            DaemonSet ds = client.apps().daemonSets().inNamespace("jcni-system").withName("jcni").get();
            assertEquals(one(DaemonSet.class).getSpec(), ds.getSpec());
            assertEquals(one(ClusterRole.class).getRules(), client.rbac().clusterRoles().withName("jcni").get().getRules());
            assertEquals(1, client.serviceAccounts().inNamespace("jcni-system").list().getItems().size());
            assertEquals(List.of("jcni"), client.rbac().clusterRoleBindings().list().getItems().stream()
                    .map(b -> b.getRoleRef().getName()).toList());
        } finally {
            server.destroy();
        }
    }

    // --- helpers ---

    private static <T extends HasMetadata> T one(Class<T> type) {
        List<T> found = items.stream().filter(type::isInstance).map(type::cast).toList();
        assertEquals(1, found.size(), "one " + type.getSimpleName());
        return found.getFirst();
    }

    private static PodSpec pod() {
        return one(DaemonSet.class).getSpec().getTemplate().getSpec();
    }

    private static Container initContainer() {
        List<Container> init = pod().getInitContainers();
        assertEquals(1, init.size(), "one init container");
        return init.getFirst();
    }

    private static Container agentContainer() {
        List<Container> containers = pod().getContainers();
        assertEquals(1, containers.size(), "one container");
        return containers.getFirst();
    }

    private static boolean toleratesEverything(Toleration t) {
        return "Exists".equals(t.getOperator()) && t.getKey() == null && t.getEffect() == null;
    }

    /** The container's jcni arguments (the image's entry point is jcni), parsed by jcni's own command line. */
    private static CommandLine.ParseResult jcni(Container c) {
        List<String> argv = new ArrayList<>();
        if (c.getCommand() != null && !c.getCommand().isEmpty()) {
            assertEquals("/opt/jcni/bin/jcni", c.getCommand().getFirst(), c.getName() + " runs jcni");
            argv.addAll(c.getCommand().subList(1, c.getCommand().size()));
        }
        if (c.getArgs() != null) argv.addAll(c.getArgs());
        CommandLine.ParseResult top;
        try {
            top = new CommandLine(new Cli()).parseArgs(argv.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw new AssertionError(c.getName() + ": jcni does not accept " + argv + ": " + e.getMessage(), e);
        }
        assertTrue(top.hasSubcommand(), c.getName() + " runs a jcni subcommand: " + argv);
        return top.subcommand();
    }

    /** The option's value as the command will see it: given, or its default. */
    private static <T> T option(CommandLine.ParseResult cmd, String name) {
        CommandLine.Model.OptionSpec o = cmd.commandSpec().findOption(name);
        assertNotNull(o, cmd.commandSpec().name() + " has " + name);
        return o.getValue();
    }

    private static VolumeMount mount(Container c, String mountPath) {
        return c.getVolumeMounts().stream().filter(m -> Path.of(m.getMountPath()).equals(Path.of(mountPath))).findFirst()
                .orElseThrow(() -> new AssertionError(c.getName() + " mounts nothing at " + mountPath));
    }

    private static Volume hostPathMount(Container c, String mountPath) {
        VolumeMount m = mount(c, mountPath);
        assertTrue(m.getReadOnly() == null || !m.getReadOnly(), mountPath + " is written to");
        Volume v = pod().getVolumes().stream().filter(x -> x.getName().equals(m.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + m.getName()));
        assertNotNull(v.getHostPath(), m.getName() + " is a hostPath volume");
        return v;
    }

    private static String projectVersion() throws IOException {
        Matcher m = Pattern.compile("<artifactId>jcni</artifactId>\\s*<version>([^<]+)</version>").matcher(Files.readString(Path.of("pom.xml")));
        assertTrue(m.find(), "the project version in pom.xml");
        return m.group(1);
    }
}
