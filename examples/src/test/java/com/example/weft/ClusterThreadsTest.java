package com.example.weft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Smoke test: subtasks in scopes inside cluster tasks report, and their values add up subtask → task → caller. */
@Timeout(120)
class ClusterThreadsTest {

    /** Every "Task i, thread worker j" line is there, from a scope thread; the totals are exact; all 3 members ran tasks. */
    @Test
    void valuesFlowFromMemberThreadsToTheCaller() throws Exception {
        CapturedOutput captured = new CapturedOutput();
        int total = ClusterThreads.run(captured.out, 6, 5, 10, List.of(), 5760);
        String out = captured.text();

        int expected = 0;
        for (int i = 1; i <= 6; i++) {
            int taskTotal = 0;
            for (int j = 1; j <= 5; j++) {
                taskTotal += ProcessThreads.value(i, j);
                assertThat(out).containsPattern("Task " + i + ", thread worker " + j + ": value "
                        + ProcessThreads.value(i, j) + "  \\(weft-scope-task-" + i + "-\\d\\)");
            }
            assertThat(out).containsPattern("Task " + i + " total: " + taskTotal
                    + "  \\(task thread weft-cluster-outer-\\d+\\)");
            expected += taskTotal;
        }
        assertThat(total).isEqualTo(expected);
        assertThat(out).contains("6 cluster tasks on 3 members")
                .containsPattern("caller total: " + expected + ", from 6 tasks of 5 threads each, on 3 members");
    }
}
