package dev.jcni.spec;

import java.util.List;

/**
 * One method per CNI verb. Failures are reported by throwing {@link CniException}; the {@link Dispatcher}
 * prints them. Any other exception becomes code 999. VERSION is answered by the Dispatcher itself.
 */
public interface Plugin {
    /** Sets up the attachment; the result is printed in the config's cniVersion. */
    Result add(CniRequest req);

    /** Must succeed when repeated, and when the netns or interface is already gone. */
    void del(CniRequest req);

    /** Verifies the attachment against {@code conf().prevResult()}; prints nothing on success. */
    void check(CniRequest req);

    /** Returns normally when ready; otherwise throws {@link CniException#notReady} or {@link CniException#limitedConnectivity}. */
    void status(CniRequest req);

    /** Releases everything not in {@code conf().validAttachments()}. */
    void gc(CniRequest req);

    /** The config versions this plugin accepts (a subset of {@link CniVersion#SUPPORTED}). */
    default List<String> supportedVersions() {
        return CniVersion.supportedStrings();
    }
}
