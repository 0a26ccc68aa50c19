package dev.jcni.spec;

import dev.jcni.json.JsonObject;

/** One entry of GC's {@code cni.dev/valid-attachments}: an attachment the runtime still uses. */
public record Attachment(String containerID, String ifname) {

    static Attachment fromJson(JsonObject o) {
        return new Attachment(o.str("containerID"), o.str("ifname"));
    }
}
