package dev.weft.internal.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The last lines of a worker's standard error, as {@code BrokenProcessPoolException.stderrTail()} reports them. */
class LineTailTest {

    /** A character whose bytes arrive in two reads is kept whole, not as two replacement characters. */
    @Test
    void characterSplitAcrossReadsIsDecodedWhole() {
        LineTail tail = new LineTail(20, StandardCharsets.UTF_8);
        byte[] bytes = "café crashed\n".getBytes(StandardCharsets.UTF_8);
        int split = "caf".length() + 1;                  // inside the two bytes of 'é'
        tail.accept(bytes, 0, split);
        tail.accept(bytes, split, bytes.length - split);
        assertThat(tail.lines()).containsExactly("café crashed");
    }

    /** Only the last lines are kept, carriage returns dropped, long lines cut, and a last line without a newline kept at the end. */
    @Test
    void keepsTheLastLinesCutToTheirLimit() {
        LineTail tail = new LineTail(3, StandardCharsets.UTF_8);
        List<String> written = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            written.add("line " + i);
        }
        byte[] bytes = (String.join("\r\n", written) + "\r\n" + "y".repeat(LineTail.MAX_LINE + 10))
                .getBytes(StandardCharsets.UTF_8);
        tail.accept(bytes, 0, bytes.length);
        assertThat(tail.lines()).containsExactly("line 2", "line 3", "line 4");
        tail.end();
        assertThat(tail.lines()).containsExactly("line 3", "line 4", "y".repeat(LineTail.MAX_LINE));
    }
}
