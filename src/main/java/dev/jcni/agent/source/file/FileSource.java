package dev.jcni.agent.source.file;

import dev.jcni.agent.AgentLog;
import dev.jcni.agent.ClusterState;
import dev.jcni.agent.NodeInfo;
import dev.jcni.agent.source.ClusterStateSource;
import dev.jcni.agent.source.SourceStatus;
import dev.jcni.ipam.IpPrefix;
import dev.jcni.json.JsonObject;
import dev.jcni.netlink.Inet;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@code file:PATH}: a JSON file {@code {"nodes":[{"name":"n1","ip":"10.10.10.10","podcidr":"10.240.0.0/24"}]}}
 * ({@code podcidrs} for dual-stack), re-read when it changes. The directory is watched, so an editor's
 * or a script's atomic rename is seen; a poll every few seconds backs the watch up.
 * An unreadable or invalid file is logged and the last good state kept.
 */
public final class FileSource implements ClusterStateSource {
    private final Path file;
    private final AgentLog log = new AgentLog("source/file");
    private volatile SourceStatus status = SourceStatus.down("not started");
    private volatile boolean closed;
    private Thread watcher;
    private WatchService watch;

    public FileSource(Path file) { this.file = file.toAbsolutePath(); }

    @Override
    public void start(Consumer<ClusterState> listener) {
        watcher = Thread.ofPlatform().daemon().name("file-source").start(() -> loop(listener));
    }

    private void loop(Consumer<ClusterState> listener) {
        String last = null;
        try {
            watch = FileSystems.getDefault().newWatchService();
            file.getParent().register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                    StandardWatchEventKinds.ENTRY_DELETE);
        } catch (IOException e) {
            log.warn("cannot watch " + file.getParent() + " (" + e.getMessage() + "), polling instead");
        }
        while (!closed) {
            try {
                String text = Files.readString(file);
                if (!text.equals(last)) {
                    ClusterState state = parse(text);
                    last = text;
                    status = SourceStatus.up();
                    log.info("read " + file + ": " + state.nodes().size() + " nodes");
                    listener.accept(state);
                }
            } catch (IOException e) {
                status = SourceStatus.down("cannot read " + file + ": " + e.getMessage());
                log.warn(status.detail() + "; keeping the last state");
            } catch (RuntimeException e) {
                status = SourceStatus.down("invalid " + file + ": " + e.getMessage());
                log.warn(status.detail() + "; keeping the last state");
                try { last = Files.readString(file); } catch (IOException ignored) { }
            }
            try {
                if (watch != null) {
                    var key = watch.poll(2, TimeUnit.SECONDS);
                    if (key != null) { key.pollEvents(); key.reset(); }
                } else {
                    Thread.sleep(1000);
                }
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            }
        }
    }

    /** Parses the file's JSON; throws with the offending key named. */
    public static ClusterState parse(String text) {
        JsonObject root = JsonObject.parse(text);
        List<NodeInfo> nodes = new ArrayList<>();
        for (JsonObject n : root.optObjectList("nodes").orElse(List.of())) {
            List<IpPrefix> cidrs = new ArrayList<>();
            n.optStr("podcidr").map(IpPrefix::parse).ifPresent(cidrs::add);
            n.optStrList("podcidrs").ifPresent(l -> l.stream().map(IpPrefix::parse).forEach(cidrs::add));
            nodes.add(new NodeInfo(n.str("name"), Inet.parse(n.str("ip")), cidrs));
        }
        return ClusterState.of(nodes);
    }

    @Override
    public SourceStatus status() { return status; }

    @Override
    public String describe() { return "file:" + file; }

    @Override
    public void close() {
        closed = true;
        try { if (watch != null) watch.close(); } catch (IOException ignored) { }
        if (watcher != null) watcher.interrupt();
    }
}
