package com.example.weft;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** What an example prints, captured for its smoke test: pass {@link #out} to its {@code run}, then read {@link #text()}. */
final class CapturedOutput {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    /** The stream to give the example. */
    final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    /** Everything printed so far. */
    String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
