package dev.weft.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Helper threads for a test, whose failures fail the test: {@link #close()} joins every thread it
 * started (with a bound) and throws the first failure, with the later ones suppressed. Use with
 * try-with-resources.
 *
 * <pre>{@code
 * try (var background = new Background()) {
 *     background.start(() -> future.complete(42));
 *     assertThat(future.get(10, SECONDS)).isEqualTo(42);
 * }
 * }</pre>
 */
public final class Background implements AutoCloseable {
    /** A piece of work that may throw anything. */
    @FunctionalInterface
    public interface Work {
        void run() throws Exception;
    }

    private final List<Thread> threads = new ArrayList<>();
    private final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();

    /** Starts {@code work} in a new platform thread and returns the thread. */
    public Thread start(Work work) {
        Thread thread = Thread.ofPlatform().name("test-background-" + threads.size()).unstarted(() -> {
            try {
                work.run();
            } catch (Throwable t) {
                failures.add(t);
            }
        });
        threads.add(thread);
        thread.start();
        return thread;
    }

    /**
     * Joins every thread, for at most {@link Await#DEFAULT} in all.
     *
     * @throws AssertionError if a thread failed or is still alive, or the caller was interrupted
     */
    @Override
    public void close() {
        long deadline = System.nanoTime() + Await.DEFAULT.toNanos();
        for (Thread thread : threads) {
            long left = deadline - System.nanoTime();
            try {
                boolean ended = left > 0 ? thread.join(Duration.ofNanos(left)) : !thread.isAlive();
                if (!ended) {
                    failures.add(new AssertionError(thread + " is still running"));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failures.add(new AssertionError("interrupted while joining " + thread, e));
                break;
            }
        }
        Throwable first = failures.poll();
        if (first != null) {
            AssertionError error = new AssertionError("a background thread failed", first);
            failures.forEach(error::addSuppressed);
            throw error;
        }
    }
}
