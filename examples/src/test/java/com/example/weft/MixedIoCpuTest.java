package com.example.weft;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Smoke test: workers fetch on virtual threads and hash; the fixed shared counter is exact. */
@Timeout(60)
class MixedIoCpuTest {

    /** Each animal is reported with its worker and times, each worker's totals too; the atomic count is exact. */
    @Test
    void workersFetchHashAndCountExactlyWhenFixed() throws Exception {
        CapturedOutput captured = new CapturedOutput();
        long counted = MixedIoCpu.run(captured.out, 2, 4, 16, 20);
        String out = captured.text();

        // animals 0..3 have 2, 3, 4, 2 pages of 16 KiB / (p + 1) bytes, hashed 20 times
        long perTwo = 16384 + 8192, perThree = perTwo + 5461, perFour = perThree + 4096;
        long expected = 20 * (perTwo + perThree + perFour + perTwo);
        assertThat(counted).isEqualTo(expected);
        assertThat(out).contains("Racy: counter.set(counter.get() + n)", "Fixed: counter.addAndGet(n)")
                .containsPattern("bytes hashed: " + expected + "; the counter says \\d+: (exact|\\d+ bytes lost)")
                .contains("bytes hashed: " + expected + "; the counter says " + expected + ": exact");
        for (String animal : new String[] {"kangaroo", "koala", "wombat", "platypus"}) {
            assertThat(out).containsPattern(animal + " +worker [12] \\(JVM \\d+\\): +\\d+ bytes, fetch +\\d+ ms, hash +\\d+ ms");
        }
        assertThat(out).containsPattern("kangaroo +worker [12] \\(JVM \\d+\\): +" + perTwo + " bytes")
                .containsPattern("worker [12]: \\d animals, fetching \\d+ ms, hashing \\d+ ms")
                .containsPattern("total: \\d+ ms");
    }
}
