package dev.jcni.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code jcni install --host-root DIR}: puts the running installation (launcher, jars, runtime) on a node
 * as its CNI plugin. A DaemonSet's init container runs it with the node's {@code /opt/cni/bin} mounted
 * under {@code DIR}. What it leaves in {@code DIR/<cni-bin-dir>}:
 * <pre>
 * jcni                       the entry point a container runtime executes: exec jcni.d/bin/jcni "$@"
 * jcni.d -> jcni.d.0.1.0.3f9a2c1b
 * jcni.d.0.1.0.3f9a2c1b/     bin/jcni, lib/, runtime/: a complete copy, never written again
 * jcni.d.&lt;previous&gt;/          the copy jcni.d named before, kept for plugins still starting from it
 * </pre>
 * Nothing a runtime can execute is ever half written: the new copy is complete and synced before the
 * {@code jcni.d} symlink is renamed onto it, and the entry point is a synced temporary file renamed into
 * place. Copies older than the previous one are removed. Modification times are kept, because the
 * launcher trusts the AOT cache only while no jar is newer than it.
 */
@Command(name = "install", mixinStandardHelpOptions = true,
        description = {"Copy this installation (launcher, jars, Java runtime) into a node's CNI bin directory "
                + "and make DIR/<cni-bin-dir>/jcni its entry point. Every switch is an atomic rename.",
                "Run from the DaemonSet's init container with the host's /opt/cni/bin mounted under --host-root."})
final class InstallCommand implements Callable<Integer> {
    static final String ENTRY_POINT = "jcni";
    static final String CURRENT = "jcni.d";
    private static final String COPY_PREFIX = CURRENT + ".";
    private static final String TEMP_PREFIX = ".jcni-install.";

    /** What the entry point says: run the current copy next to itself, and speak CNI if it is missing. */
    static final String ENTRY_POINT_SCRIPT = """
            #!/bin/sh
            # jcni's entry point, written by `jcni install`. The version in use is the one jcni.d points to.
            d=$(dirname "$0")/jcni.d
            if [ ! -x "$d/bin/jcni" ]; then
              [ -n "$CNI_COMMAND" ] && printf '{"cniVersion":"1.1.0","code":999,"msg":"jcni: jcni.d/bin/jcni is missing next to the entry point","details":"run jcni install again"}\\n'
              echo "jcni: $d/bin/jcni is missing; run jcni install again" >&2
              exit 1
            fi
            exec "$d/bin/jcni" "$@"
            """;

    @Spec
    CommandSpec spec;

    @Option(names = "--host-root", required = true, description = "Where the host's file system is mounted (/host in the DaemonSet).")
    Path hostRoot;

    @Option(names = "--cni-bin-dir", defaultValue = "opt/cni/bin", description = "The CNI bin directory, relative to --host-root. Default: ${DEFAULT-VALUE}")
    String cniBinDir;

    @Option(names = "--from", hidden = true, description = "The installation to copy (default: the one this jcni runs from).")
    Path from;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path home;
        try {
            home = from != null ? from.toAbsolutePath().normalize() : runningHome();
            checkInstallation(home);
        } catch (IllegalStateException e) {
            err.println("jcni install: " + e.getMessage());
            return 1;
        }
        Path root = hostRoot.toAbsolutePath().normalize();
        Path binDir = root.resolve(cniBinDir.replaceFirst("^/+", "")).normalize();
        if (!binDir.startsWith(root) || binDir.equals(root)) {
            err.println("jcni install: --cni-bin-dir " + cniBinDir + " is not a directory under " + root);
            return 2;
        }
        if (!Files.isDirectory(home.resolve("runtime"))) {
            err.println("jcni install: warning: " + home + " has no runtime/; the node will need its own Java 25");
        }
        Result r = install(home, binDir, JcniVersion.get());
        out.println("jcni install: " + binDir.resolve(ENTRY_POINT) + " -> " + CURRENT + " -> " + r.copy().getFileName()
                + (r.previous() == null ? "" : " (kept " + r.previous() + ")")
                + (r.removed().isEmpty() ? "" : "; removed " + String.join(", ", r.removed())));
        return 0;
    }

    record Result(Path copy, String previous, List<String> removed) {}

    /** Copies {@code home} into {@code binDir}, switches to it, writes the entry point, prunes old copies. */
    static Result install(Path home, Path binDir, String version) throws IOException {
        Files.createDirectories(binDir);
        byte[] random = new byte[4];
        new SecureRandom().nextBytes(random);
        String suffix = HexFormat.of().formatHex(random);
        Path copy = binDir.resolve(COPY_PREFIX + version.replaceAll("[^A-Za-z0-9._-]", "_") + "." + suffix);
        Files.createDirectory(copy);
        for (String part : List.of("bin", "lib", "runtime")) {
            if (Files.isDirectory(home.resolve(part))) copyTree(home.resolve(part), copy.resolve(part));
        }
        fsync(copy);

        Path current = binDir.resolve(CURRENT);
        String previous = null;
        if (Files.isSymbolicLink(current)) {
            previous = Files.readSymbolicLink(current).getFileName().toString();
        } else if (Files.exists(current, LinkOption.NOFOLLOW_LINKS)) {
            // A directory from some earlier, non-jcni install: keep it as the previous copy.
            previous = COPY_PREFIX + "replaced." + suffix;
            Files.move(current, binDir.resolve(previous), StandardCopyOption.ATOMIC_MOVE);
        }
        Path link = binDir.resolve(TEMP_PREFIX + CURRENT + "." + suffix);
        Files.createSymbolicLink(link, copy.getFileName()); // relative: the host sees it under another root
        Files.move(link, current, StandardCopyOption.ATOMIC_MOVE); // rename(2) replaces the old link in one step

        Path entry = binDir.resolve(TEMP_PREFIX + ENTRY_POINT + "." + suffix);
        Files.writeString(entry, ENTRY_POINT_SCRIPT, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        Files.setPosixFilePermissions(entry, PosixFilePermissions.fromString("rwxr-xr-x"));
        fsync(entry);
        Files.move(entry, binDir.resolve(ENTRY_POINT), StandardCopyOption.ATOMIC_MOVE);
        fsync(binDir);

        return new Result(copy, previous, prune(binDir, copy.getFileName().toString(), previous));
    }

    /** Removes every copy but {@code keep} and {@code previous}, and temporaries left by an interrupted install. */
    private static List<String> prune(Path binDir, String keep, String previous) throws IOException {
        List<String> removed = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(binDir)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                boolean oldCopy = name.startsWith(COPY_PREFIX) && !name.equals(keep) && !name.equals(previous)
                        && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
                if (oldCopy || name.startsWith(TEMP_PREFIX)) {
                    deleteTree(p);
                    removed.add(name);
                }
            }
        }
        return removed;
    }

    /** The installation this class runs from: {@code HOME/lib/jcni.jar}. */
    static Path runningHome() {
        Path jar;
        try {
            jar = Path.of(InstallCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            throw new IllegalStateException("cannot tell where jcni runs from: " + e);
        }
        Path lib = jar.getParent();
        if (!Files.isRegularFile(jar) || lib == null || lib.getParent() == null || !lib.getFileName().toString().equals("lib")) {
            throw new IllegalStateException("jcni runs from " + jar + ", not from an installation's lib/jcni.jar");
        }
        return lib.getParent();
    }

    static void checkInstallation(Path home) {
        if (!Files.isExecutable(home.resolve("bin/jcni"))) throw new IllegalStateException(home + "/bin/jcni is missing or not executable");
        if (!Files.isRegularFile(home.resolve("lib/jcni.jar"))) throw new IllegalStateException(home + "/lib/jcni.jar is missing");
    }

    /** Copies a tree with permissions and modification times; symlinks stay symlinks; every file is synced. */
    private static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectory(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Path target = to.resolve(from.relativize(file).toString());
                Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                if (attrs.isRegularFile()) fsync(target);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) throw e;
                Path target = to.resolve(from.relativize(dir).toString());
                fsync(target);
                // Permissions and time last: a read-only directory must first be filled.
                Files.setPosixFilePermissions(target, Files.getPosixFilePermissions(dir));
                Files.setLastModifiedTime(target, Files.getLastModifiedTime(dir));
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void deleteTree(Path top) throws IOException {
        if (!Files.isDirectory(top, LinkOption.NOFOLLOW_LINKS)) {
            Files.deleteIfExists(top);
            return;
        }
        Files.walkFileTree(top, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) throw e;
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** fsync(2) on a file or a directory (Linux lets a read-only descriptor do both). */
    private static void fsync(Path p) {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("fsync " + p + ": " + e.getMessage(), e);
        }
    }
}
