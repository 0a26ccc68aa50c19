package dev.jcni.lab;

import java.io.PrintStream;
import java.nio.file.Path;

public final class TopologyPicture {
    private final PrintStream out;
    public TopologyPicture(PrintStream out) { this.out = out; }
    public int render(Path labDir, Path svg, Path dot) { out.println("todo"); return 1; }
}
