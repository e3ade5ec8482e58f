package com.example.weft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Smoke test: the executor API tour shows as_completed, chunked map, its timeout, shutdown and a broken pool. */
@Timeout(60)
class ExecutorApiTest {

    /** Each part prints its outcome and the exact exceptions Weft gives. */
    @Test
    void executorApiShowsEveryPart() throws Exception {
        CapturedOutput captured = new CapturedOutput();
        ExecutorApi.run(captured.out, 2, 100);
        String out = captured.text();

        assertThat(out).containsPattern("completed:( [1-4]){4}\\n");
        assertThat(out).contains("24 items in chunks of 3 over 2 workers; results in item order: [1, 4, 9, 16, 25, 36, "
                + "49, 64, 81, 100, 121, 144, 169, 196, 225, 256, 289, 324, 361, 400, 441, 484, 529, 576]");
        for (int chunk = 1; chunk <= 8; chunk++) {
            assertThat(out).containsPattern("chunk " + chunk + " \\(items +\\d+- ?\\d+\\): worker [12]\\n");
        }
        assertThat(out).containsPattern("next\\(\\) threw dev.weft.UncheckedTimeoutException: [12] chunks? of the map "
                + "unfinished at its deadline, cancelled(; \\d finished but not yet read, dropped)? after \\d+ ms; "
                + "the iteration is over: hasNext\\(\\) = false");

        Matcher states = Pattern.compile("submitted 12 tasks of 100 ms to 2 workers, then shutdown\\(true, true\\) "
                + "returned: \\{SUCCESS=(\\d+), CANCELLED=(\\d+)\\}").matcher(out);
        assertThat(states.find()).as(out).isTrue();
        assertThat(Integer.parseInt(states.group(1)) + Integer.parseInt(states.group(2))).isEqualTo(12);
        assertThat(Integer.parseInt(states.group(1))).as("the tasks that had begun").isBetween(2, 11);
        assertThat(out).contains("every future is done: true")
                .contains("a submit after shutdown throws java.util.concurrent.RejectedExecutionException: "
                        + "pool 'executor' is shut down (closed): it accepts no new tasks");

        assertThat(out).containsPattern("its task's get\\(\\) threw ExecutionException, cause: "
                        + "dev.weft.BrokenProcessPoolException: worker 1 \\(pid \\d+\\) of pool 'fragile' exited with code")
                .containsPattern("the task queued behind it: dev.weft.BrokenProcessPoolException")
                .contains("a later submit throws dev.weft.BrokenProcessPoolException: pool 'fragile' is broken");
    }
}
