package dev.jcni.bench;

/** The baseline for start-up time: a JVM that prints one line. */
public final class Hello {
    public static void main(String[] args) {
        System.out.println("hello");
    }
}
