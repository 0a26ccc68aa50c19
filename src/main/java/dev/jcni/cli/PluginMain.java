package dev.jcni.cli;

import dev.jcni.plugin.JcniPlugin;
import dev.jcni.spec.Dispatcher;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** The CNI plugin entry: env, stdin and stdout go straight to the dispatcher. */
final class PluginMain {
    private PluginMain() {}

    static int run() {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        return new Dispatcher(new JcniPlugin(System.err)).run(System.getenv(), System.in, out, System.err);
    }
}
