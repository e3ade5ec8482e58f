package dev.weft.testing;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The one place where tests wait for a state by polling it (house style, habit 8): a bounded loop
 * that checks the state about every millisecond and fails the test after {@link #LIMIT}. Tests never
 * sleep to let something happen; they poll for the state that proves it happened.
 */
public final class Poll {
    /** How long a test waits for anything before it fails; far above any honest wait. */
    public static final Duration LIMIT = Duration.ofSeconds(10);
    /** {@link #LIMIT} in seconds, for {@code latch.await(Poll.SECONDS, TimeUnit.SECONDS)}. */
    public static final long SECONDS = LIMIT.toSeconds();

    private Poll() {
    }

    /**
     * Returns once {@code condition} holds; fails with {@code what} in the message if it does not
     * hold within {@link #LIMIT}.
     */
    public static void until(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + LIMIT + " waiting until " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    /**
     * Returns once {@code thread} is blocked (waiting or timed-waiting) inside a method of the library
     * (a class in {@code dev.weft}, outside {@code dev.weft.testing}) named {@code method}: the way to
     * know that an owner is waiting in {@code join}, {@code close} or an iterator's {@code hasNext}
     * before interrupting it or releasing what it waits for.
     */
    public static void untilBlockedIn(Thread thread, String method) {
        until(thread.getName() + " is blocked in " + method + "()", () -> {
            Thread.State state = thread.getState();
            if (state == Thread.State.TERMINATED) {
                throw new AssertionError(thread + " ended instead of blocking in " + method + "()");
            }
            return (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING)
                    && Arrays.stream(thread.getStackTrace()).anyMatch(frame ->
                            frame.getMethodName().equals(method)
                                    && frame.getClassName().startsWith("dev.weft.")
                                    && !frame.getClassName().startsWith("dev.weft.testing.")
                                    && !frame.getClassName().endsWith("Test"));
        });
    }

    /** Waits (bounded by {@link #LIMIT}) for {@code latch} to open; fails the test if it does not. */
    public static void await(CountDownLatch latch) throws InterruptedException {
        if (!latch.await(SECONDS, TimeUnit.SECONDS)) {
            throw new AssertionError("timed out after " + LIMIT + " waiting for " + latch);
        }
    }

    /**
     * Like {@link #await(CountDownLatch)}, but interrupts do not end the wait: they are remembered
     * and the interrupt status is set again on return. For subtasks that must outlive a cancellation.
     */
    public static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        long deadline = System.nanoTime() + LIMIT.toNanos();
        try {
            while (true) {
                try {
                    if (latch.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                        return;
                    }
                    throw new AssertionError("timed out after " + LIMIT + " waiting for " + latch);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
