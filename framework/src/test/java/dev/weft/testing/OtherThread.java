package dev.weft.testing;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A platform thread that runs a piece of a test off the test's own thread (to call an owner-only
 * method from a stranger, or to interrupt or release the owner while it waits), and hands back
 * what went wrong there: {@link #await()} rethrows the other thread's failure with its stack trace,
 * so an assertion that fails over there fails the test.
 */
public final class OtherThread {
    /** A body that may throw anything. */
    @FunctionalInterface
    public interface Body {
        void run() throws Throwable;
    }

    private final Thread thread;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    private OtherThread(String name, Body body) {
        this.thread = Thread.ofPlatform().name(name).daemon().unstarted(() -> {
            try {
                body.run();
            } catch (Throwable t) {
                failure.set(t);
            }
        });
    }

    /** Starts {@code body} in a new platform thread named {@code name}. */
    public static OtherThread start(String name, Body body) {
        OtherThread other = new OtherThread(name, body);
        other.thread.start();
        return other;
    }

    /** Runs {@code task} in another thread, waits for it, and returns its result or throws its exception. */
    public static <V> V call(Callable<V> task) throws Exception {
        AtomicReference<V> result = new AtomicReference<>();
        OtherThread other = start("weft-test-caller", () -> result.set(task.call()));
        other.awaitThrowing();
        return result.get();
    }

    /** The thread. */
    public Thread thread() {
        return thread;
    }

    /** Waits (bounded) for the body to end; fails the test with the body's failure, if any. */
    public void await() {
        try {
            awaitThrowing();
        } catch (Error | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new AssertionError("failed in " + thread.getName(), e);
        }
    }

    private void awaitThrowing() throws Exception {
        boolean interrupted = false;
        long deadline = System.nanoTime() + Poll.LIMIT.toNanos();
        try {
            while (thread.isAlive()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError(thread.getName() + " did not end within " + Poll.LIMIT);
                }
                try {
                    thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        Throwable t = failure.get();
        if (t instanceof Exception e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        if (t != null) {
            throw new AssertionError(t);
        }
    }
}
