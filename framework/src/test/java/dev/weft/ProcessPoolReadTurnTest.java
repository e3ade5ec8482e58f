package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.testing.Background;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Which waits read their own answer: sequential {@code submit().get()} from a platform thread on
 * more than one core, some of them; with no idle spin, or from a virtual thread, none.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ProcessPoolReadTurnTest {
    private static final int CALLS = 2_000;

    private static long readByTheCaller(ProcessPool pool) throws Exception {
        for (int i = 0; i < CALLS; i++) {
            int n = i;
            assertThat(pool.submit(() -> n + 1).get()).isEqualTo(n + 1);
        }
        return ((ProcessPoolImpl) pool).answersReadByWaiters();
    }

    @Test
    void sequentialGetsFromAPlatformThreadReadTheirOwnAnswers() throws Exception {
        assumeTrue(Runtime.getRuntime().availableProcessors() > 1, "one core: the reader never offers its turn");
        try (ProcessPool pool = Pool.processes(c -> c.withWorkers(1))) {
            assertThat(readByTheCaller(pool)).isPositive();
        }
    }

    @Test
    void withNoIdleSpinNoWaitReadsItsAnswer() throws Exception {
        assumeTrue(Runtime.getRuntime().availableProcessors() > 1, "one core: no wait reads its answer anyway");
        try (ProcessPool pool = Pool.processes(c -> c.withWorkers(1).withIdleSpin(Duration.ZERO))) {
            assertThat(readByTheCaller(pool)).isZero();
        }
    }

    @Test
    void aVirtualThreadWaitsToBeWoken() throws Exception {
        assumeTrue(Runtime.getRuntime().availableProcessors() > 1, "one core: no wait reads its answer anyway");
        try (ProcessPool pool = Pool.processes(c -> c.withWorkers(1))) {
            assertThat(Background.callInVirtualThread(() -> readByTheCaller(pool))).isZero();
        }
    }
}
