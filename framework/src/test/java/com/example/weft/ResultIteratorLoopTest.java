package com.example.weft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Pool;
import dev.weft.ProcessPool;
import dev.weft.ResultIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A for-each loop takes the results of {@code imap} and {@code imapUnordered}, as Python's
 * {@code for x in pool.imap(f, items)} does, and like a Python iterator a {@link ResultIterator}
 * is its own iterable: a loop after a {@code break} goes on from the next result. From a package
 * of the user's own.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ResultIteratorLoopTest {
    private static final List<Integer> ITEMS = IntStream.range(0, 10).boxed().toList();

    @Test
    void aForEachLoopTakesTheResultsInOrder() {
        try (Pool pool = Pool.cpu()) {
            List<Integer> squares = new ArrayList<>();
            for (int square : pool.imap(x -> x * x, ITEMS)) {
                squares.add(square);
            }
            assertThat(squares).containsExactly(0, 1, 4, 9, 16, 25, 36, 49, 64, 81);
        }
    }

    @Test
    void aLoopAfterABreakGoesOnFromTheNextResultAndOneAfterTheEndRunsNoBody() {
        try (Pool pool = Pool.cpu()) {
            ResultIterator<Integer> results = pool.imap(x -> x + 100, ITEMS, 1);
            List<Integer> first = new ArrayList<>();
            for (int r : results) {
                first.add(r);
                if (first.size() == 3) {
                    break;
                }
            }
            List<Integer> rest = new ArrayList<>();
            for (int r : results) {
                rest.add(r);
            }
            List<Integer> after = new ArrayList<>();
            results.forEach(after::add);

            assertThat(first).containsExactly(100, 101, 102);
            assertThat(rest).containsExactly(103, 104, 105, 106, 107, 108, 109);
            assertThat(after).isEmpty();
            assertThat(results.iterator()).isSameAs(results);
        }
    }

    @Test
    void aForEachLoopTakesAProcessPoolsResultsInCompletionOrder() {
        try (ProcessPool pool = Pool.processes(c -> c.withWorkers(2))) {
            List<Integer> doubled = new ArrayList<>();
            for (int d : pool.imapUnordered(x -> 2 * x, ITEMS)) {
                doubled.add(d);
            }
            assertThat(doubled).containsExactlyInAnyOrder(0, 2, 4, 6, 8, 10, 12, 14, 16, 18);
        }
    }
}
