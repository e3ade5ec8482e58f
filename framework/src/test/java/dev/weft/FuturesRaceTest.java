package dev.weft;

import static java.util.concurrent.TimeUnit.NANOSECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.testing.Await;
import dev.weft.testing.Background;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link Futures#wait} and {@link Futures#asCompleted} racing with many completions: 100 futures
 * completed at once by ten threads, while the call looks at them and attaches its listeners, must
 * all be seen, each once, without a lost wake-up; for each kind of future. The jcstress test
 * {@code Futures_01_NoLostWakeup} probes the one-future race in depth; this is the many-futures
 * case of issue 5.
 */
class FuturesRaceTest {
    private static final int FUTURES = 100;
    private static final int THREADS = 10;
    /** Rounds per test: each is a fresh race between the call and the completing threads. */
    private static final int ROUNDS = 48;

    /** A pending future and the action that completes it with its value. */
    private record Pending(Future<Integer> future, Runnable completion) {
    }

    /** The kinds of future, each noticed by Futures in its own way (listener, whenComplete, watcher). */
    enum Kind {
        TASK_FUTURE {
            @Override
            Pending create(int value) {
                SettableFuture<Integer> f = SettableFuture.create();
                return new Pending(f, () -> f.complete(value));
            }
        },
        COMPLETABLE_FUTURE {
            @Override
            Pending create(int value) {
                CompletableFuture<Integer> f = new CompletableFuture<>();
                return new Pending(f, () -> f.complete(value));
            }
        },
        FUTURE_TASK {
            @Override
            Pending create(int value) {
                FutureTask<Integer> f = new FutureTask<>(() -> value);
                return new Pending(f, f::run);
            }
        };

        abstract Pending create(int value);
    }

    /**
     * Creates {@link #FUTURES} pending futures, valued 0 to 99, and starts {@link #THREADS}
     * threads that complete them (thread t those with value t, t + 10, ...) as soon as the caller
     * too has reached {@code start}. Before each completion a thread spins {@code gap} times, so
     * that, as the gap changes from round to round, the completions spread over the whole call,
     * from its first look at the futures to its attaching to each one (a spin, not a sleep:
     * nothing waits for a state).
     */
    private static List<Future<Integer>> completedAtOnce(Kind kind, Background background, CyclicBarrier start,
                                                         int gap) {
        List<Pending> all = IntStream.range(0, FUTURES).mapToObj(kind::create).toList();
        for (int t = 0; t < THREADS; t++) {
            int first = t;
            background.start("completer-" + t, () -> {
                start.await(Await.LIMIT.toNanos(), NANOSECONDS);
                for (int i = first; i < FUTURES; i += THREADS) {
                    for (int spin = 0; spin < gap; spin++) {
                        Thread.onSpinWait();
                    }
                    all.get(i).completion().run();
                }
            });
        }
        return all.stream().map(Pending::future).toList();
    }

    /**
     * The spins before each completion in round {@code round}: 0, 2, 4, ... 2048, then again.
     * The window that matters, between the call's first look at a future and its listener on
     * it, lasts a few microseconds; the rounds move the completions across it.
     */
    private static int gap(int round) {
        int step = round % 12;
        return step == 0 ? 0 : 1 << step;
    }

    private static List<Integer> values(Iterable<Future<Integer>> futures) {
        List<Integer> values = new ArrayList<>();
        futures.forEach(f -> values.add(f.resultNow()));
        return values;
    }

    /** wait(ALL_COMPLETED) sees all of 100 futures completed by ten threads while it starts waiting. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void waitSeesEveryOneOfAHundredFuturesCompletedAtOnce(Kind kind) throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            CyclicBarrier start = new CyclicBarrier(THREADS + 1);
            try (Background background = new Background()) {
                List<Future<Integer>> futures = completedAtOnce(kind, background, start, gap(round));
                start.await(Await.LIMIT.toNanos(), NANOSECONDS);
                long began = System.nanoTime();
                Futures.Waited<Future<Integer>> w = Futures.wait(futures, ReturnWhen.ALL_COMPLETED, Await.LIMIT);
                assertThat(Duration.ofNanos(System.nanoTime() - began))
                        .as("round %d: wait returned only at its timeout, so a wake-up was lost", round)
                        .isLessThan(Await.LIMIT.dividedBy(2));
                assertThat(w.notDone()).as("round %d", round).isEmpty();
                assertThat(values(w.done())).as("round %d", round)
                        .containsExactlyInAnyOrderElementsOf(IntStream.range(0, FUTURES).boxed().toList());
            }
        }
    }

    /** asCompleted returns each of 100 futures completed by ten threads while it starts, exactly once. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void asCompletedReturnsEachOfAHundredFuturesCompletedAtOnce(Kind kind) throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            CyclicBarrier start = new CyclicBarrier(THREADS + 1);
            try (Background background = new Background()) {
                List<Future<Integer>> futures = completedAtOnce(kind, background, start, gap(round));
                start.await(Await.LIMIT.toNanos(), NANOSECONDS);
                List<Future<Integer>> returned = new ArrayList<>();
                // A lost wake-up makes next() throw UncheckedTimeoutException after Await.LIMIT.
                for (Future<Integer> f : Futures.asCompleted(futures, Await.LIMIT)) {
                    returned.add(f);
                }
                assertThat(values(returned)).as("round %d", round)
                        .containsExactlyInAnyOrderElementsOf(IntStream.range(0, FUTURES).boxed().toList());
            }
        }
    }
}
