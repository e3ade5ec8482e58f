package dev.weft.testing;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The one place where tests wait for a state (house style, habit 8): poll it, or wait for a latch,
 * always with a bound, and fail the test with a message that says what was awaited. Tests never
 * sleep to let something happen; they wait here until the state that proves it happened.
 *
 * <ul>
 *   <li>{@link #until(String, BooleanSupplier)}: a condition, checked about every millisecond;</li>
 *   <li>{@link #blocked(Thread)} and {@link #blockedIn(Thread, String)}: another thread has reached a
 *       blocking call (anywhere, or in a named method of the library);</li>
 *   <li>{@link #latch(CountDownLatch)} and {@link #latchUninterruptibly(CountDownLatch)}: a latch opens.</li>
 * </ul>
 *
 * <p>Every wait is bounded by {@link #LIMIT} unless a timeout is given. A thread interrupted while it
 * polls a condition fails the wait, with its interrupt status set again; a latch wait throws
 * {@link InterruptedException}, except {@link #latchUninterruptibly(CountDownLatch)}.
 */
public final class Await {
    /** How long a test waits for anything before it fails; far above any honest wait. */
    public static final Duration LIMIT = Duration.ofSeconds(10);

    private Await() {
    }

    /**
     * Returns once {@code condition} holds; fails with {@code what} in the message if it does not
     * hold within {@link #LIMIT}.
     *
     * @param what the state awaited, as the end of "waiting until ...": {@code "the subtask succeeded"}
     * @throws AssertionError if the condition does not hold in time, or the waiting thread is interrupted
     */
    public static void until(String what, BooleanSupplier condition) {
        until(what, condition, LIMIT);
    }

    /**
     * Returns once {@code condition} holds; fails with {@code what} in the message if it does not
     * hold within {@code timeout}.
     *
     * @throws AssertionError if the condition does not hold in time, or the waiting thread is interrupted
     */
    public static void until(String what, BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting until " + what);
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting until " + what, e);
            }
        }
    }

    /** Returns whether {@code thread} is parked or waiting (state {@code WAITING} or {@code TIMED_WAITING}). */
    public static boolean isBlocked(Thread thread) {
        Thread.State state = thread.getState();
        return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING;
    }

    /**
     * Returns once {@code thread} is parked or waiting (states {@code WAITING} or
     * {@code TIMED_WAITING}), wherever: the way to know another thread has reached a blocking call.
     *
     * @throws AssertionError if it does not block within {@link #LIMIT}, or ends instead
     */
    public static void blocked(Thread thread) {
        until(thread.getName() + " is blocked", () -> {
            failIfEnded(thread, "blocking");
            return isBlocked(thread);
        });
    }

    /**
     * Returns once {@code thread} is blocked (waiting or timed-waiting) inside a method of the library
     * (a class in {@code dev.weft}, outside {@code dev.weft.testing} and the tests) named
     * {@code method}: the way to know that an owner is waiting in {@code join}, {@code close} or an
     * iterator's {@code hasNext} before interrupting it or releasing what it waits for.
     *
     * @throws AssertionError if it does not block there within {@link #LIMIT}, or ends instead
     */
    public static void blockedIn(Thread thread, String method) {
        until(thread.getName() + " is blocked in " + method + "()", () -> {
            failIfEnded(thread, "blocking in " + method + "()");
            return isBlocked(thread)
                    && Arrays.stream(thread.getStackTrace()).anyMatch(frame ->
                            frame.getMethodName().equals(method)
                                    && frame.getClassName().startsWith("dev.weft.")
                                    && !frame.getClassName().startsWith("dev.weft.testing.")
                                    && !frame.getClassName().endsWith("Test"));
        });
    }

    /**
     * Waits (bounded by {@link #LIMIT}) until {@code thread} is inside a call to a socket, or waits
     * for one: a frame of the JDK's socket channels ({@code sun.nio.ch}) is on its stack, or of a
     * class named in {@code waiters}, whatever the thread's state (a thread in a system call is
     * RUNNABLE).
     *
     * @param waiters the names of classes that wait for a socket themselves, as users of a
     *        non-blocking one must
     */
    public static void inSocketCall(Thread thread, String... waiters) {
        until(thread.getName() + " is in a socket call", () -> {
            failIfEnded(thread, "calling a socket");
            return Arrays.stream(thread.getStackTrace()).map(StackTraceElement::getClassName).anyMatch(name ->
                    name.startsWith("sun.nio.ch.") || Arrays.stream(waiters).anyMatch(name::startsWith));
        });
    }

    /**
     * Waits (bounded by {@link #LIMIT}) until a frame of the class named {@code className} is on
     * {@code thread}'s stack, whatever the thread's state: for a wait that is not a park of
     * Weft's own (a select, a system call), which {@link #blockedIn} cannot see.
     */
    public static void inFrameOf(Thread thread, String className) {
        until(thread.getName() + " is in " + className, () -> {
            failIfEnded(thread, "running " + className);
            return Arrays.stream(thread.getStackTrace()).anyMatch(frame -> frame.getClassName().equals(className));
        });
    }

    private static void failIfEnded(Thread thread, String instead) {
        if (thread.getState() == Thread.State.TERMINATED) {
            throw new AssertionError(thread.getName() + " ended instead of " + instead);
        }
    }

    /**
     * Waits (bounded by {@link #LIMIT}) for {@code latch} to open.
     *
     * @throws AssertionError if it does not open in time
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public static void latch(CountDownLatch latch) throws InterruptedException {
        if (!latch.await(LIMIT.toNanos(), TimeUnit.NANOSECONDS)) {
            throw new AssertionError("timed out after " + LIMIT + " waiting for a latch to open: " + latch);
        }
    }

    /**
     * Like {@link #latch(CountDownLatch)}, but interrupts do not end the wait: they are remembered
     * and the interrupt status is set again on return. For subtasks that must outlive a cancellation.
     *
     * @throws AssertionError if the latch does not open within {@link #LIMIT}
     */
    public static void latchUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        long deadline = System.nanoTime() + LIMIT.toNanos();
        try {
            while (true) {
                try {
                    if (latch.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                        return;
                    }
                    throw new AssertionError("timed out after " + LIMIT + " waiting for a latch to open: " + latch);
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
