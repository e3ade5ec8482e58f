package com.example.weft;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Smoke test: each common mistake gets the exact error the example promises. */
@Timeout(60)
class CommonErrorsTest {

    /**
     * javac refuses a call's result; the pool survives a throwing callback, which it logs; misuse and
     * failures are reported.
     */
    @Test
    void everyMistakeGetsItsError() throws Exception {
        CapturedOutput captured = new CapturedOutput();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));     // where slf4j-simple writes
        try {
            CommonErrors.run(captured.out);
        } finally {
            System.setErr(original);
        }
        String out = captured.text();

        assertThat(stderr.toString(StandardCharsets.UTF_8))
                .containsPattern("\\[weft-cpu-errors-\\d+\\] WARN dev.weft.Pool - a pool callback \\S+ threw; the result is not affected")
                .contains("java.lang.IllegalStateException: a bug in the callback", "\tat com.example.weft.CommonErrors");

        assertThat(out).contains("Mistake.java:5: error: no suitable method found for submit(int)")
                .contains("java.lang.IllegalArgumentException: a task given to pool 'mistake' cannot be sent to a worker: "
                        + "com.example.weft.CommonErrors$$Lambda")
                .contains("get() = 42, successful() = true; the pool still works: apply(x -> x + 1, 1) = 2")
                .contains("java.lang.IllegalStateException: join() on pool 'errors' before shutdown() or terminate(): "
                        + "it would wait for ever (Python raises ValueError)")
                .contains("submit: java.util.concurrent.RejectedExecutionException: pool 'closed' is shut down (closed): "
                        + "it accepts no new tasks")
                .contains("applyAsync: java.util.concurrent.RejectedExecutionException: pool 'closed' is shut down")
                .contains("successful() = false")
                .contains("get() throws dev.weft.FailedException: the task failed: java.lang.NumberFormatException: "
                        + "For input string: \"forty-two\"")
                .contains("errorCallback got java.lang.NumberFormatException: For input string: \"forty-two\"")
                .contains("state() = FAILED, exceptionNow() = java.lang.NumberFormatException");
    }
}
