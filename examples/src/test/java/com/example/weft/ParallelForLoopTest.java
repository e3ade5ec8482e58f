package com.example.weft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Smoke test: the parallel for loop runs all six ways, with the same results, and gives a verdict. */
@Timeout(120)
class ParallelForLoopTest {

    /** Every way prints a row with both times; all agree on the results; the verdict follows. */
    @Test
    void everyWayRunsAndAgrees() throws Exception {
        CapturedOutput captured = new CapturedOutput();
        List<ParallelForLoop.Timing> timings = ParallelForLoop.run(
                captured.out, 2, 20, 1_000, 2);
        String out = captured.text();

        assertThat(timings).extracting(ParallelForLoop.Timing::way).containsExactly(ParallelForLoop.Way.values());
        for (String row : List.of("a thread per task", "Pool.io\\(\\) \\(virtual\\)", "executor: submit\\+as_completed",
                "executor: map\\(timeout\\)", "a process per task", "Pool.cpu\\(\\) \\(\\d+ threads\\)",
                "Pool.processes\\(\\) \\(2 JVMs\\)")) {
            assertThat(out).containsPattern("   " + row + " +\\d+ ms +\\d+ ms");
        }
        assertThat(out).contains("IO results (bytes per page): [100, 200]")
                .contains("CPU results (sums): [" + ParallelForLoop.sumTo(1_001) + ", " + ParallelForLoop.sumTo(1_002) + "]")
                .contains("every way gave the same results, in item order")
                .containsPattern("fastest here: IO .+, CPU .+")
                .contains("verdict: waiting work suits a thread per task");
    }
}
