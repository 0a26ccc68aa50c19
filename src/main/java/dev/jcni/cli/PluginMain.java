package dev.jcni.cli;

/** Placeholder until the plugin lands: speaks CNI's error format so runtimes get JSON, not a trace. */
final class PluginMain {
    private PluginMain() {}

    static int run() {
        System.out.println("{\"cniVersion\":\"1.1.0\",\"code\":4,\"msg\":\"jcni plugin not built yet\"}");
        return 1;
    }
}
