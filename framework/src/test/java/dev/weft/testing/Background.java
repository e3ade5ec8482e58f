package dev.weft.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Helper threads for a test, whose failures fail the test (house style, habit 10): to complete a
 * future from another thread, to call an owner-only method from a stranger, or to interrupt or release
 * the owner while it waits. {@link #close()} joins every thread it started (bounded by
 * {@link Await#LIMIT} in all) and throws the first failure, with the later ones suppressed. Use with
 * try-with-resources; the block ends where the test needs the threads to have ended.
 *
 * <pre>{@code
 * try (var background = new Background()) {
 *     background.start("interrupter", () -> {
 *         Await.blockedIn(owner, "join");
 *         owner.interrupt();
 *     });
 *     assertThatThrownBy(scope::join).isInstanceOf(InterruptedException.class);
 * }
 * }</pre>
 *
 * <p>The threads are daemon platform threads. {@link #start} and {@link #close} are for the test's own
 * thread; the threads may fail concurrently.
 */
public final class Background implements AutoCloseable {
    /** A piece of work that may throw anything. */
    @FunctionalInterface
    public interface Work {
        void run() throws Throwable;
    }

    private record Failure(Thread thread, Throwable error) {
    }

    // Written and read by the test's thread only.
    private final List<Thread> threads = new ArrayList<>();
    // Added to by the helper threads (their failures) and by close (threads that did not end); read by close.
    private final ConcurrentLinkedQueue<Failure> failures = new ConcurrentLinkedQueue<>();

    /** Starts {@code work} in a new thread named {@code test-background-}<i>n</i> and returns the thread. */
    public Thread start(Work work) {
        return start("test-background-" + threads.size(), work);
    }

    /** Starts {@code work} in a new thread named {@code name} and returns the thread. */
    public Thread start(String name, Work work) {
        Thread thread = Thread.ofPlatform().name(name).daemon().unstarted(() -> {
            try {
                work.run();
            } catch (Throwable t) {
                failures.add(new Failure(Thread.currentThread(), t));
            }
        });
        threads.add(thread);
        thread.start();
        return thread;
    }

    /**
     * Runs {@code task} in another thread, waits for it (bounded by {@link Await#LIMIT}), and returns
     * its result or throws its exception.
     *
     * @throws AssertionError if the task does not end in time
     */
    public static <V> V call(Callable<V> task) throws Exception {
        AtomicReference<V> result = new AtomicReference<>();
        Background background = new Background();
        background.start("test-caller", () -> result.set(task.call()));
        background.joinAll();
        Failure first = background.failures.poll();
        if (first == null) {
            return result.get();
        }
        background.failures.forEach(later -> first.error().addSuppressed(later.error()));
        if (first.error() instanceof Exception e) {
            throw e;
        }
        if (first.error() instanceof Error e) {
            throw e;
        }
        throw new AssertionError(first.error());
    }

    /**
     * Runs {@code task} in a new virtual thread, waits for it (bounded by {@link Await#LIMIT}), and
     * returns its result or throws what it threw, as the cause of an {@link ExecutionException}.
     */
    public static <V> V callInVirtualThread(Callable<V> task) throws Exception {
        FutureTask<V> call = new FutureTask<>(task);
        Thread.ofVirtual().name("test-virtual-caller").start(call);
        return call.get(Await.LIMIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Joins every thread, for at most {@link Await#LIMIT} in all. An interrupt does not cut the wait
     * short: it is remembered and the interrupt status is set again on return.
     *
     * @throws AssertionError if a thread failed (the first failure is the cause, the later ones are
     *                        suppressed) or is still alive
     */
    @Override
    public void close() {
        joinAll();
        Failure first = failures.poll();
        if (first != null) {
            AssertionError error = new AssertionError(first.thread().getName() + " failed", first.error());
            failures.forEach(later -> error.addSuppressed(later.error()));
            throw error;
        }
    }

    private void joinAll() {
        long deadline = System.nanoTime() + Await.LIMIT.toNanos();
        boolean interrupted = false;
        try {
            for (Thread thread : threads) {
                while (thread.isAlive()) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        failures.add(new Failure(thread, new AssertionError(
                                thread.getName() + " did not end within " + Await.LIMIT)));
                        break;
                    }
                    try {
                        thread.join(Duration.ofNanos(left));
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
