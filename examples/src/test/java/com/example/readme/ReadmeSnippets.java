package com.example.readme;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * What the README's snippets name and do not declare: {@code fetch}, {@code render}, {@code show},
 * {@code sumTo}, {@code urls}, {@code inputs}, {@code futures}, {@code others} and the type
 * {@code Page}. Each snippet is compiled as the body of {@code run()} in a class of its own in this
 * package, which imports these with {@code import static com.example.readme.ReadmeSnippets.*}, the
 * way a user's program would have them as its own static members. What the snippets do through
 * them is recorded here, for {@link ReadmeSnippetsTest} to check.
 *
 * <p>Threads: a check of {@link ReadmeSnippetsTest} calls {@link #reset} and the
 * {@code prepare…} methods, runs the snippet on the same thread, and reads the records once the
 * snippet has returned; meanwhile the snippet's threads (a scope's, a pool's, the executor's) write
 * them, so the records are concurrent collections and atomics, and the snippet's own {@code close}
 * or {@code get} orders those writes before the check reads them. In a worker JVM only
 * {@link #sumTo} runs.
 */
public final class ReadmeSnippets {
    /** The limit the asCompleted snippet sets with {@code withConcurrencyLimit(8)}. */
    static final int CONCURRENCY_LIMIT = 8;

    /** The URLs the asCompleted snippet fetches: more than its concurrency limit. */
    public static final List<String> urls = IntStream.rangeClosed(1, 3 * CONCURRENCY_LIMIT)
            .mapToObj(i -> "/page/" + i).toList();
    /** The numbers the pool snippets sum up to. */
    public static final List<Long> inputs = List.of(1_000_000L, 2_000_000L, 3_000_000L, 4_000_000L);
    /**
     * The futures snippet's {@code Futures.wait} input: the first completes, the rest wait until
     * cancelled. Set by a check's thread before the snippet runs on it, as are {@link #others}.
     */
    public static List<Future<Page>> futures = List.of();
    /** The futures snippet's {@code Futures.asCompleted} input: all complete. */
    public static List<Future<Page>> others = List.of();

    /** Every {@code render(user, order)} call's arguments, in call order. Written by a snippet's thread. */
    static final List<List<Page>> rendered = new CopyOnWriteArrayList<>();
    /** Every value passed to {@code show}, in call order. Written by a snippet's threads. */
    static final List<Object> shown = new CopyOnWriteArrayList<>();
    /** The names of the threads {@link #sumTo} ran on in this JVM. Written by pool threads. */
    static final Set<String> sumThreads = ConcurrentHashMap.newKeySet();
    /** Fetches running now, and the most that ever ran at once. Written by a scope's threads. */
    private static final AtomicInteger running = new AtomicInteger();
    private static final AtomicInteger peak = new AtomicInteger();
    /**
     * Opened once as many fetches as the concurrency limit have started, so that they are all
     * running at once, deterministically; {@code null} when fetches do not wait for one another.
     * Set by the test's thread before a snippet starts.
     */
    private static volatile CountDownLatch allAtOnce;
    /** The executor that {@link #futures} and {@link #others} run on; closed by {@link #reset}. Checks' threads only. */
    private static ExecutorService executor;

    private ReadmeSnippets() {
    }

    /** A fetched page: its path, and the thread that fetched it. */
    public record Page(String path, String thread, boolean virtual) {
    }

    /**
     * Fetches {@code path}: a page naming it and the thread that fetched it. When the asCompleted
     * snippet runs, each of the first {@link #CONCURRENCY_LIMIT} fetches waits (at most 10 s) until
     * all of them have started.
     */
    public static Page fetch(String path) throws InterruptedException {
        int now = running.incrementAndGet();
        peak.accumulateAndGet(now, Math::max);
        try {
            CountDownLatch gate = allAtOnce;
            if (gate != null) {
                gate.countDown();
                gate.await(10, TimeUnit.SECONDS);
            }
            Thread me = Thread.currentThread();
            return new Page(path, me.getName(), me.isVirtual());
        } finally {
            running.decrementAndGet();
        }
    }

    /** Records what the first snippet renders. */
    public static void render(Page user, Page order) {
        rendered.add(List.of(user, order));
    }

    /** Records what a snippet shows. */
    public static void show(Object value) {
        shown.add(value);
    }

    /** The sum 1 + 2 + … + {@code n}, added up one by one: CPU work. */
    public static long sumTo(long n) {
        sumThreads.add(Thread.currentThread().getName());
        long sum = 0;
        for (long i = 1; i <= n; i++) {
            sum += i;
        }
        return sum;
    }

    /** Forgets every record, and stops the futures of an earlier run. */
    static void reset() {
        rendered.clear();
        shown.clear();
        sumThreads.clear();
        running.set(0);
        peak.set(0);
        allAtOnce = null;
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
        futures = List.of();
        others = List.of();
    }

    /** Makes the first {@link #CONCURRENCY_LIMIT} fetches wait until all of them run at once. */
    static void prepareConcurrentFetches() {
        allAtOnce = new CountDownLatch(CONCURRENCY_LIMIT);
    }

    /** The most fetches that ran at once since {@link #reset}. */
    static int peakFetches() {
        return peak.get();
    }

    /**
     * Fills {@link #futures} with one future that completes and {@code blocked} that wait until
     * interrupted, and {@link #others} with {@code done} that complete; all run on an executor of
     * their own.
     */
    static void prepareFutures(int blocked, int done) {
        executor = Executors.newCachedThreadPool();
        CountDownLatch never = new CountDownLatch(1);
        List<Future<Page>> first = new ArrayList<>();
        first.add(executor.submit(() -> fetch("/fast")));
        for (int i = 1; i <= blocked; i++) {
            String path = "/blocked/" + i;
            first.add(executor.submit(() -> {
                never.await();                        // until cancel(true) interrupts it
                return fetch(path);
            }));
        }
        List<Future<Page>> rest = new ArrayList<>();
        for (int i = 1; i <= done; i++) {
            String path = "/other/" + i;
            rest.add(executor.submit(() -> fetch(path)));
        }
        futures = List.copyOf(first);
        others = List.copyOf(rest);
    }
}
