package dev.jcni.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code jcni install} from a fake installation into a temporary host root; needs no root. */
class InstallCommandTest {
    private static final FileTime JAR_TIME = FileTime.from(Instant.parse("2026-01-01T00:00:00Z"));
    private static final FileTime CACHE_TIME = FileTime.from(Instant.parse("2026-01-01T00:05:00Z"));
    private static final byte[] JAR = new byte[1 << 20];

    static {
        for (int i = 0; i < JAR.length; i++) JAR[i] = (byte) (i * 31);
    }

    @TempDir
    Path tmp;
    Path home;
    Path root;
    Path binDir;

    @BeforeEach
    void fakeInstallation() throws IOException {
        home = tmp.resolve("opt/jcni");
        // The fake launcher says where it runs from, the way the real one finds its lib/ and runtime/.
        write(home.resolve("bin/jcni"), "#!/bin/sh\necho \"fake jcni in $(cd \"$(dirname \"$0\")/..\" && pwd -P): $*\"\n", "rwxr-xr-x");
        Files.createDirectories(home.resolve("lib"));
        Files.write(home.resolve("lib/jcni.jar"), JAR);
        Files.setLastModifiedTime(home.resolve("lib/jcni.jar"), JAR_TIME);
        write(home.resolve("lib/jcni.aot"), "cache", "rw-r--r--");
        Files.setLastModifiedTime(home.resolve("lib/jcni.aot"), CACHE_TIME);
        write(home.resolve("lib/aot/jcni-aot-train.jar"), "trainer", "rw-r--r--");
        write(home.resolve("runtime/bin/java"), "#!/bin/sh\n", "rwxr-xr-x");
        write(home.resolve("runtime/lib/modules"), "modules", "r--r--r--");
        Files.createDirectories(home.resolve("runtime/legal/java.base"));
        Files.createSymbolicLink(home.resolve("runtime/legal/java.base/LICENSE"), Path.of("../../lib/modules"));
        root = tmp.resolve("host");
        binDir = root.resolve("opt/cni/bin");
    }

    @Test
    void installsACompleteCopyBehindAnEntryPoint() throws IOException {
        Run r = install();
        assertEquals(0, r.exit(), r.output());

        Path entry = binDir.resolve("jcni");
        assertTrue(Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS), "the entry point is a file of its own");
        assertEquals(InstallCommand.ENTRY_POINT_SCRIPT, Files.readString(entry));
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(entry)));

        Path current = binDir.resolve("jcni.d");
        assertTrue(Files.isSymbolicLink(current));
        Path target = Files.readSymbolicLink(current);
        assertFalse(target.isAbsolute(), "a relative link, since the host mounts this tree elsewhere: " + target);
        assertTrue(target.toString().matches("jcni\\.d\\.dev\\.[0-9a-f]{8}"), target.toString());

        Path copy = binDir.resolve(target);
        assertTrue(Files.isExecutable(copy.resolve("bin/jcni")));
        assertTrue(Files.isExecutable(copy.resolve("runtime/bin/java")));
        assertEquals("r--r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(copy.resolve("runtime/lib/modules"))));
        assertArrayEquals(JAR, Files.readAllBytes(copy.resolve("lib/jcni.jar")));
        assertEquals("trainer", Files.readString(copy.resolve("lib/aot/jcni-aot-train.jar")));
        // The launcher trusts the AOT cache only while no jar is newer: times must survive the copy.
        assertEquals(JAR_TIME, Files.getLastModifiedTime(copy.resolve("lib/jcni.jar")));
        assertEquals(CACHE_TIME, Files.getLastModifiedTime(copy.resolve("lib/jcni.aot")));
        Path license = copy.resolve("runtime/legal/java.base/LICENSE");
        assertTrue(Files.isSymbolicLink(license));
        assertEquals(Path.of("../../lib/modules"), Files.readSymbolicLink(license));
        assertEquals(List.of(), temporaries());
    }

    @Test
    void entryPointRunsTheLauncherOfTheCurrentCopy() throws Exception {
        assertEquals(0, install().exit());
        Path copy = binDir.resolve(Files.readSymbolicLink(binDir.resolve("jcni.d"))).toRealPath();

        Sh out = sh(binDir.resolve("jcni"), Map.of(), "add", "two words");
        assertEquals(0, out.exit(), out.stdout());
        assertEquals("fake jcni in " + copy + ": add two words\n", out.stdout());

        // Without its copy the entry point still answers a runtime in CNI's terms, on stdout.
        Files.delete(binDir.resolve("jcni.d"));
        Sh broken = sh(binDir.resolve("jcni"), Map.of("CNI_COMMAND", "ADD"));
        assertEquals(1, broken.exit());
        assertTrue(broken.stdout().startsWith("{\"cniVersion\":\"1.1.0\",\"code\":999,"), broken.stdout());
    }

    @Test
    void laterInstallsSwitchByRenameAndKeepOnlyThePreviousCopy() throws IOException {
        assertEquals(0, install().exit());
        String first = Files.readSymbolicLink(binDir.resolve("jcni.d")).toString();
        Object entryInode = Files.readAttributes(binDir.resolve("jcni"), BasicFileAttributes.class).fileKey();

        Run second = install();
        assertEquals(0, second.exit(), second.output());
        String secondCopy = Files.readSymbolicLink(binDir.resolve("jcni.d")).toString();
        assertNotEquals(first, secondCopy);
        assertTrue(Files.isDirectory(binDir.resolve(first)), "the previous copy stays for plugins still starting from it");
        Object newInode = Files.readAttributes(binDir.resolve("jcni"), BasicFileAttributes.class).fileKey();
        assertNotEquals(entryInode, newInode, "the entry point is replaced by a rename, never rewritten in place");
        assertEquals(InstallCommand.ENTRY_POINT_SCRIPT, Files.readString(binDir.resolve("jcni")));

        Run third = install();
        assertEquals(0, third.exit(), third.output());
        assertFalse(Files.exists(binDir.resolve(first)), "copies older than the previous one go");
        assertTrue(Files.isDirectory(binDir.resolve(secondCopy)));
        assertTrue(third.output().contains("removed " + first), third.output());
        assertEquals(4, names().size(), "jcni, jcni.d and two copies: " + names());
        assertEquals(List.of(), temporaries());
    }

    @Test
    void aReaderNeverSeesAHalfCopiedTree() throws Exception {
        assertEquals(0, install().exit());
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger reads = new AtomicInteger();
        AtomicReference<String> failure = new AtomicReference<>();
        Thread reader = Thread.ofPlatform().start(() -> {
            Path jar = binDir.resolve("jcni.d/lib/jcni.jar");
            Path launcher = binDir.resolve("jcni.d/bin/jcni");
            while (!done.get() && failure.get() == null) {
                try {
                    if (!Files.isExecutable(launcher)) failure.set("no executable jcni.d/bin/jcni");
                    else if (Files.size(jar) != JAR.length) failure.set("jcni.d/lib/jcni.jar has " + Files.size(jar) + " bytes");
                    reads.incrementAndGet();
                } catch (IOException e) {
                    failure.set(e.toString());
                }
            }
        });
        try {
            for (int i = 0; i < 8; i++) assertEquals(0, install().exit());
        } finally {
            done.set(true);
            reader.join(TimeUnit.SECONDS.toMillis(10));
        }
        assertNull(failure.get(), "after " + reads.get() + " good reads");
        assertTrue(reads.get() > 0);
    }

    @Test
    void aDirectoryInTheWayIsKeptAsThePreviousCopy() throws IOException {
        write(binDir.resolve("jcni.d/bin/jcni"), "#!/bin/sh\n", "rwxr-xr-x");
        Run r = install();
        assertEquals(0, r.exit(), r.output());
        assertTrue(Files.isSymbolicLink(binDir.resolve("jcni.d")));
        assertEquals(1, names().stream().filter(n -> n.startsWith("jcni.d.replaced.")).count(), names().toString());
    }

    @Test
    void refusesABinDirOutsideTheHostRoot() {
        Run r = run("--host-root", root.toString(), "--cni-bin-dir", "../escape", "--from", home.toString());
        assertEquals(2, r.exit());
        assertTrue(r.output().contains("not a directory under"), r.output());
        assertFalse(Files.exists(tmp.resolve("escape")));
    }

    @Test
    void refusesAnIncompleteInstallation() throws IOException {
        Files.delete(home.resolve("lib/jcni.jar"));
        Run r = install();
        assertEquals(1, r.exit());
        assertTrue(r.output().contains("lib/jcni.jar is missing"), r.output());
        assertFalse(Files.exists(binDir.resolve("jcni")));
    }

    @Test
    void acceptsAnAbsoluteCniBinDir() {
        Run r = run("--host-root", root.toString(), "--cni-bin-dir", "/usr/libexec/cni", "--from", home.toString());
        assertEquals(0, r.exit(), r.output());
        assertTrue(Files.isExecutable(root.resolve("usr/libexec/cni/jcni")));
    }

    // --- helpers ---

    record Run(int exit, String output) {}

    record Sh(int exit, String stdout) {}

    private Run install() {
        return run("--host-root", root.toString(), "--from", home.toString());
    }

    private static Run run(String... args) {
        StringWriter text = new StringWriter();
        PrintWriter w = new PrintWriter(text, true);
        int exit = new CommandLine(new InstallCommand()).setOut(w).setErr(w).execute(args);
        return new Run(exit, text.toString());
    }

    private static Sh sh(Path script, Map<String, String> env, String... args) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Stream.concat(Stream.of(script.toString()), Stream.of(args)).toList());
        pb.environment().clear();
        pb.environment().put("PATH", "/usr/bin:/bin");
        pb.environment().putAll(env);
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        return new Sh(p.exitValue(), out);
    }

    private List<String> temporaries() throws IOException {
        return names().stream().filter(n -> n.startsWith(".")).toList();
    }

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(binDir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static void write(Path file, String text, String perms) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(perms));
    }
}
