package com.example.weft;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Smoke test: subtasks in scopes inside worker JVMs report, and their values add up worker → process → main. */
@Timeout(60)
class ProcessThreadsTest {

    /** Every "Process i, thread worker j" line is there, from a scope thread; the totals are exact. */
    @Test
    void valuesFlowFromWorkerThreadsToMain() throws Exception {
        CapturedOutput captured = new CapturedOutput();
        int total = ProcessThreads.run(captured.out, 5, 5, 2, 10);
        String out = captured.text();

        int expected = 0;
        for (int i = 1; i <= 5; i++) {
            int processTotal = 0;
            for (int j = 1; j <= 5; j++) {
                processTotal += ProcessThreads.value(i, j);
                assertThat(out).containsPattern("Process " + i + ", thread worker " + j + ": value "
                        + ProcessThreads.value(i, j) + "  \\(weft-scope-process-" + i + "-\\d in JVM \\d+\\)");
            }
            assertThat(out).containsPattern("Process " + i + " total: " + processTotal
                    + "  \\(task thread weft-process-outer-\\d in JVM \\d+\\)");
            expected += processTotal;
        }
        assertThat(total).isEqualTo(expected);
        assertThat(out).containsPattern("main total: " + expected + ", from 5 processes of 5 threads each, in [12] worker JVMs");
    }
}
