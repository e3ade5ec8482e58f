package com.example.weft;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Smoke test: the main demo runs to the end and each section shows what it promises. */
@Timeout(60)
class DemoTest {

    /** Every section of the tour prints its outcome; timings are not asserted, only behaviour. */
    @Test
    void demoShowsEverySection() throws Exception {
        CapturedOutput captured = new CapturedOutput();
        Demo.run(captured.out);
        String out = captured.text();

        assertThat(out).contains("on weft-scope-fetch-1", "on weft-scope-fetch-5");
        assertThat(out).contains("join() threw FailedException, cause: java.io.IOException: HTTP 500 from /fail");
        assertThat(out).contains("the two 10-second fetches: CANCELLED, CANCELLED");
        assertThat(out).containsPattern("join\\(\\) threw UncheckedTimeoutException after \\d+ ms; the fetch is CANCELLED");
        assertThat(out).containsPattern("completed (\\d+ ms, ){2}\\d+ ms")
                .contains("100 ms", "200 ms", "300 ms");
        assertThat(out).containsPattern("first done: the \\d+ ms fetch").contains("still running: 2; cancelling them");
        assertThat(out).containsPattern("a thread per task +\\d+ ms +\\d+ ms")
                .containsPattern("Pool.io\\(\\) \\(virtual\\) +\\d+ ms +\\d+ ms")
                .containsPattern("Pool.cpu\\(\\) \\(\\d+ threads\\) +\\d+ ms +\\d+ ms");
    }
}
