package com.example.weft;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Smoke test: the pool life cycle shows every call and all five patterns on a process pool. */
@Timeout(120)
class PoolLifecycleTest {

    /** Each call prints its result; callbacks report forgotten tasks; terminate cancels the rest. */
    @Test
    void lifecycleShowsEveryCallAndPattern() throws Exception {
        CapturedOutput captured = new CapturedOutput();
        PoolLifecycle.run(captured.out, 2, 50);
        String out = captured.text();

        assertThat(out).containsPattern("returned in \\d+ ms; its 2 worker JVMs start in the background")
                .contains("apply(square, 7) = 49")
                .contains("map(square, 1..8) = [1, 4, 9, 16, 25, 36, 49, 64]")
                .contains("starmap(multiply, (2,3) (4,5) (6,7)) = [6, 20, 42]")
                .contains("waitFor(10 s) = true, successful() = true, get() = 81")
                .contains("applyAsync(square, 13): successful() = false")
                .contains("get() threw FailedException, cause: java.lang.IllegalArgumentException: 13 is unlucky")
                .containsPattern("callback got 81 on weft-process-lifecycle-\\d-reader")
                .containsPattern("error callback got java.lang.IllegalArgumentException: 13 is unlucky on "
                        + "weft-process-lifecycle-\\d-reader")
                .contains("mapAsync(square, 1..8).get() = [1, 4, 9, 16, 25, 36, 49, 64]")
                .contains("a. map, then iterate: 1 4 9 16 25")
                .contains("imap, lazily and in order: 1 4 9 16 25")
                .containsPattern("d. imapUnordered, as completed \\(slowest first in the input\\):( (1|4|9|16)){4}");
        assertThat(out).contains("apply_async callback: 1", "apply_async callback: 4", "apply_async callback: 9",
                "apply_async callback: 16", "map_async callback: [1, 4, 9, 16]");
        assertThat(out).contains("first result: 1; terminate()")
                .contains("the other 3 tasks ended cancelled (next() threw java.util.concurrent.CancellationException")
                .doesNotContain("another result");
    }
}
