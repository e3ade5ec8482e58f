package com.example.weft;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Smoke test: every thread a process pool uses is named, in the workers and in the parent. */
@Timeout(60)
class ThreadDetailsTest {

    /** Initializer and tasks share the worker's task thread; the parent has a reader and a stderr thread per worker. */
    @Test
    void threadsHaveMeaningfulNames() throws Exception {
        CapturedOutput captured = new CapturedOutput();
        ThreadDetails.run(captured.out, 2);
        String out = captured.text();

        assertThat(out).containsPattern("worker (\\d) \\(JVM \\d+\\): initializer ran on weft-process-details-\\1; "
                + "tasks run on weft-process-details-\\1; its threads: \\[weft-process-details-\\1, "
                + "weft-process-details-\\1-channel, weft-process-details-\\1-flusher\\]");
        assertThat(out).contains("weft-process-details-1-reader  (reads", "weft-process-details-1-stderr  (copies",
                "weft-process-details-2-reader  (reads", "weft-process-details-2-stderr  (copies");
        assertThat(out).containsPattern("A callback of applyAsync ran on weft-process-details-\\d-reader \\(in the parent\\)")
                .contains("After close(), helper threads left: 0");
    }
}
