package dev.weft.internal.process;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The last lines of a stream of bytes, such as a worker's standard error: at most {@code lines}
 * lines of at most {@value #MAX_LINE} characters each. A line is cut at its newline byte and only
 * then decoded, so that a character whose bytes arrive in two reads is decoded whole (the newline
 * byte never occurs inside a character of UTF-8 or of the other charsets a JVM writes its errors in).
 *
 * <p>Thread safety: one thread feeds it ({@link #accept}, {@link #end}); any thread may read
 * {@link #lines}. Every method is synchronized on the instance.
 */
public final class LineTail {
    public static final int MAX_LINE = 500;
    /** Enough bytes for {@link #MAX_LINE} characters of any charset. */
    private static final int MAX_LINE_BYTES = 4 * MAX_LINE;

    private final int lines;
    private final Charset charset;
    /** The bytes of the line not yet ended, up to {@link #MAX_LINE_BYTES}. */
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private final ArrayDeque<String> kept = new ArrayDeque<>();

    public LineTail(int lines, Charset charset) {
        this.lines = lines;
        this.charset = charset;
    }

    /** Takes {@code length} bytes of {@code bytes} from {@code offset}. */
    public synchronized void accept(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            byte b = bytes[i];
            if (b == '\n') {
                keepLine();
            } else if (line.size() < MAX_LINE_BYTES) {
                line.write(b);
            }
        }
    }

    /** The stream has ended: keeps its last line if it had no newline. */
    public synchronized void end() {
        if (line.size() > 0) {
            keepLine();
        }
    }

    /** The lines kept, oldest first. */
    public synchronized List<String> lines() {
        return List.copyOf(kept);
    }

    private void keepLine() {
        String text = line.toString(charset).replace("\r", "");
        line.reset();
        if (kept.size() == lines) {
            kept.removeFirst();
        }
        kept.addLast(text.length() > MAX_LINE ? text.substring(0, MAX_LINE) : text);
    }
}
