package com.example.weft;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Smoke test: each common mistake gets the exact error the example promises. */
@Timeout(60)
class CommonErrorsTest {

    /** javac refuses a call's result; the pool survives a throwing callback; misuse and failures are reported. */
    @Test
    void everyMistakeGetsItsError() throws Exception {
        CapturedOutput captured = new CapturedOutput();
        CommonErrors.run(captured.out);
        String out = captured.text();

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
