package dev.jcni.plugin;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/**
 * A privileged plugin test class with a fresh {@link PluginHarness} per test, in the test's temp dir,
 * closed after it. A subclass's own {@code @BeforeEach} (under another method name) runs after
 * {@link #openHarness}, so it can use {@link #h}.
 */
abstract class PluginHarnessBase {
    @TempDir
    Path tmp;
    PluginHarness h;

    @BeforeEach
    void openHarness() { h = new PluginHarness(tmp); }

    @AfterEach
    void closeHarness() { if (h != null) h.close(); }
}
