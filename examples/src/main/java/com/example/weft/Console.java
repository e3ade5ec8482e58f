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
        return out == System.out && isTerminal();
    }

    /**
     * Whether this program talks to a terminal, where a line can be redrawn with {@code \r}. On JDK
     * 21 (and 25), {@link System#console()} is null unless it does. On JDK 22 to 24, whose default
     * console is JLine's, it returns a console even when the output goes to a pipe or a file, and
     * {@code java.io.Console.isTerminal()}, new in 22, tells; the examples compile for 21, so that
     * method is called where it exists.
     */
    static boolean isTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (NoSuchMethodException e) {
            return true;                                // JDK 21: a console is a terminal
        } catch (ReflectiveOperationException e) {
            return false;
        }
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
