package com.example.weft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Pool;
import dev.weft.ProcessPool;
import dev.weft.TaskFuture;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Capturing lambdas of a user's package through a process pool: those whose captured values are
 * compact cross by shape and values, the others whole; each computes what it computes here.
 */
class CapturingTasksTest {
    private static ProcessPool pool;

    @BeforeAll
    static void start() {
        pool = Pool.processes(c -> c.withWorkers(2));
    }

    @AfterAll
    static void stop() {
        pool.close();
    }

    record Point(int x, int y) implements java.io.Serializable {
    }

    private static long square(long n) {
        return n * n;
    }

    @Test
    void compactCapturesOfEveryKind() throws Exception {
        Object[] values = {7, 1L << 40, 2.5, true, "weft", null};
        for (Object value : values) {
            assertThat(pool.submit(() -> String.valueOf(value)).get()).isEqualTo(String.valueOf(value));
        }
        long n = 7;
        assertThat(pool.submit(() -> square(n)).get()).isEqualTo(49L);
    }

    @Test
    void manyInstancesOfOneLambdaEachWithItsOwnValue() throws Exception {
        List<TaskFuture<Long>> futures = new ArrayList<>();
        for (int k = 0; k < 2_000; k++) {
            long n = k;
            futures.add(pool.submit(() -> square(n)));
        }
        for (int k = 0; k < futures.size(); k++) {
            assertThat(futures.get(k).get()).isEqualTo((long) k * k);
        }
    }

    @Test
    void capturesWithoutACompactFormGoWhole() throws Exception {
        Point p = new Point(3, 4);
        char c = 'w';
        int[] array = {1, 2, 3};
        assertThat(pool.submit(() -> new Point(p.y(), p.x())).get()).isEqualTo(new Point(4, 3));
        assertThat(pool.submit(() -> c + "eft").get()).isEqualTo("weft");
        assertThat(pool.submit(() -> array.length).get()).isEqualTo(3);
    }
}
