package com.example.weft;

import java.io.PrintStream;
import java.time.Duration;

/** What the examples print besides their results: section titles, times, and progress on a terminal. */
final class Console {
    private Console() {
    }

    /** Milliseconds since {@code startNanos}, a {@link System#nanoTime()} reading. */
    static long millisSince(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
    }

    /** Prints a blank line and a section title with the Python names it stands for. */
    static void section(PrintStream out, String title, String python) {
        out.println();
        out.println(title + "    (Python: " + python + ")");
    }

    /**
     * Whether to draw progress lines: only when {@code out} is the standard output of a program
     * attached to a terminal, never in tests or pipes.
     */
    static boolean showsProgress(PrintStream out) {
        return out == System.out && System.console() != null;
    }

    /** Redraws a one-line progress bar in place ({@code \r}), if {@code out} shows progress. */
    static void progress(PrintStream out, String what, int done, int total) {
        if (showsProgress(out)) {
            int width = 30;
            int filled = total == 0 ? width : done * width / total;
            out.print("\r   " + what + " [" + "#".repeat(filled) + " ".repeat(width - filled) + "] "
                    + done + "/" + total + (done == total ? "\r" + " ".repeat(width + what.length() + 20) + "\r" : ""));
            out.flush();
        }
    }
}
