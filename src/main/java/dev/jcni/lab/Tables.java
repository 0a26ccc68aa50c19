package dev.jcni.lab;

import java.io.PrintStream;
import java.util.List;

/** Box-drawn text tables; the first row is the header. */
public final class Tables {
    private Tables() {}

    public static void print(PrintStream out, List<List<String>> rows) {
        int cols = rows.getFirst().size();
        int[] w = new int[cols];
        for (List<String> r : rows) for (int i = 0; i < cols; i++) w[i] = Math.max(w[i], width(r.get(i)));
        out.println(rule('┌', '┬', '┐', w));
        for (int ri = 0; ri < rows.size(); ri++) {
            StringBuilder sb = new StringBuilder("│");
            for (int i = 0; i < cols; i++) {
                String c = rows.get(ri).get(i);
                sb.append(' ').append(c).append(" ".repeat(w[i] - width(c))).append(" │");
            }
            out.println(sb);
            if (ri == 0) out.println(rule('├', '┼', '┤', w));
        }
        out.println(rule('└', '┴', '┘', w));
    }

    private static String rule(char l, char m, char r, int[] w) {
        StringBuilder sb = new StringBuilder().append(l);
        for (int i = 0; i < w.length; i++) {
            sb.append("─".repeat(w[i] + 2)).append(i == w.length - 1 ? r : m);
        }
        return sb.toString();
    }

    private static int width(String s) { return s.codePointCount(0, s.length()); }
}
