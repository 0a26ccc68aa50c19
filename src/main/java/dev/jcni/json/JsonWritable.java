package dev.jcni.json;

/** A value that knows its own JSON tree (Map, List, String, Number, Boolean, null or another JsonWritable). */
public interface JsonWritable {
    Object toJson();
}
