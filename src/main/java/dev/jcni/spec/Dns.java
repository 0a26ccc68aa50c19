package dev.jcni.spec;

import dev.jcni.json.JsonObject;

import java.util.List;
import java.util.Map;

/** A result's {@code dns}: same shape in every supported version. */
public record Dns(List<String> nameservers, String domain, List<String> search, List<String> options) {

    public static final Dns EMPTY = new Dns(List.of(), null, List.of(), List.of());

    public Dns {
        nameservers = nameservers == null ? List.of() : List.copyOf(nameservers);
        search = search == null ? List.of() : List.copyOf(search);
        options = options == null ? List.of() : List.copyOf(options);
    }

    public boolean isEmpty() {
        return nameservers.isEmpty() && (domain == null || domain.isEmpty()) && search.isEmpty() && options.isEmpty();
    }

    Map<String, Object> toJson() {
        return new JsonFields()
                .put("nameservers", nameservers)
                .put("domain", domain)
                .put("search", search)
                .put("options", options)
                .map();
    }

    static Dns fromJson(JsonObject o) {
        return new Dns(o.optStrList("nameservers").orElse(null), o.optStr("domain").orElse(null),
                o.optStrList("search").orElse(null), o.optStrList("options").orElse(null));
    }
}
