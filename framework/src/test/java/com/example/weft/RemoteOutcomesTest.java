package com.example.weft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Pool;
import dev.weft.ProcessPool;
import dev.weft.RemoteTaskException;
import dev.weft.SerialLimits;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What a process pool's caller gets back from a worker, as a program outside Weft's packages
 * sees it: each case found broken from the outside. Exceptions keep their message and say where
 * they were thrown; results are bounded by the pool's limits whatever their form.
 */
class RemoteOutcomesTest {

    /** The JVM's helpful message of a NullPointerException crosses with it. */
    @Test
    void aNullPointerExceptionKeepsItsHelpfulMessage() throws Exception {
        try (ProcessPool pool = Pool.processes(c -> c.withWorkers(1))) {
            String nothing = null;
            Throwable thrown = failureOf(pool.submit(() -> nothing.length()));

            assertThat(thrown).isExactlyInstanceOf(NullPointerException.class)
                    .hasMessageContaining("because").hasMessageContaining("is null");
            assertThat(thrown.getCause()).isInstanceOf(RemoteTaskException.class).hasMessageContaining("worker 1");
        }
    }

    /**
     * A StackOverflowError, whose cause the JVM has set to null for good, still says which
     * worker threw it: as a suppressed RemoteTaskException.
     */
    @Test
    void aStackOverflowErrorSaysWhereItWasThrown() throws Exception {
        try (ProcessPool pool = Pool.processes(c -> c.withWorkers(1))) {
            Throwable thrown = failureOf(pool.submit(() -> deeper(0)));

            assertThat(thrown).isInstanceOf(StackOverflowError.class);
            List<Throwable> markers = List.of(thrown.getCause() != null ? new Throwable[] {thrown.getCause()}
                    : thrown.getSuppressed());
            assertThat(markers).anySatisfy(m -> assertThat(m).isInstanceOf(RemoteTaskException.class)
                    .hasMessageContaining("thrown in worker 1"));
        }
    }

    /**
     * A result past the pool's limits is refused, whatever form it crosses in: a byte[] (which
     * crosses without Java serialization) longer than maxarray, and a String bigger than maxbytes
     * (which Java serialization never shows a filter).
     */
    @Test
    void resultsPastTheLimitsAreRefusedWhateverTheirForm() throws Exception {
        SerialLimits tight = SerialLimits.defaults().withMaxArrayLength(1000).withMaxBytes(100_000);
        try (ProcessPool pool = Pool.processes(c -> c.withWorkers(1).withSerialLimits(tight))) {
            assertThat(pool.submit(() -> new byte[1000]).get(30, TimeUnit.SECONDS)).hasSize(1000);

            assertThat(failureOf(pool.submit(() -> new byte[1001]))).isInstanceOf(RemoteTaskException.class)
                    .hasMessageContaining("an array of 1001").hasMessageContaining("withSerialLimits");
            assertThat(failureOf(pool.submit(() -> "x".repeat(200_000)))).isInstanceOf(RemoteTaskException.class)
                    .hasMessageContaining("maxbytes=100000").hasMessageContaining("withSerialLimits");
            assertThat(pool.submit(() -> "still served").get(30, TimeUnit.SECONDS)).isEqualTo("still served");
        }
    }

    private static int deeper(int depth) {
        return deeper(depth + 1) + 1;
    }

    private static Throwable failureOf(Future<?> future) throws Exception {
        try {
            future.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("the task succeeded");
    }
}
