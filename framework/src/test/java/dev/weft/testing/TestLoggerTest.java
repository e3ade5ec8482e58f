package dev.weft.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/** The tests' logger prints what it is given, except failures that tests provoke on purpose. */
class TestLoggerTest {
    private final Logger log = new TestLogger("dev.weft.testing.TestLoggerTest");

    /** What {@code action} logs to standard error, where slf4j-simple writes. */
    private static String stderrOf(Runnable action) {
        PrintStream original = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** A WARN whose throwable is a Boom, directly or as a cause, and the fluent form of one, print nothing. */
    @Test
    void failuresProvokedOnPurposeAreNotPrinted() {
        assertThat(stderrOf(() -> log.warn("a callback {} threw", "c", new Boom("on purpose")))).isEmpty();
        assertThat(stderrOf(() -> log.warn("a task threw", new IllegalStateException("wrapped", new Boom("cause")))))
                .isEmpty();
        assertThat(stderrOf(() -> log.atWarn().setCause(new Boom("fluent")).log("a task threw"))).isEmpty();
    }

    /** Any other WARN is printed with its stack trace, and so is a message with no throwable. */
    @Test
    void everythingElseIsPrinted() {
        assertThat(stderrOf(() -> log.warn("a callback {} threw", "c", new IllegalStateException("a real bug"))))
                .contains("WARN dev.weft.testing.TestLoggerTest - a callback c threw",
                        "java.lang.IllegalStateException: a real bug", "\tat ");
        assertThat(stderrOf(() -> log.error("plain"))).contains("ERROR dev.weft.testing.TestLoggerTest - plain");
    }
}
