package dev.weft.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * The one way tests wait for a state: poll it, with a bound. Tests never sleep to let something
 * happen; they wait here until it has.
 */
public final class Await {
    /** The bound used by the shorthand methods; generous, since only a broken build reaches it. */
    public static final Duration DEFAULT = Duration.ofSeconds(10);

    private Await() {
    }

    /**
     * Polls {@code condition} until it is true.
     *
     * @throws AssertionError if it is still false after {@code timeout}, or the thread is interrupted
     */
    public static void until(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = 1;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("condition not met within " + timeout);
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while polling a condition", e);
            }
            pause = Math.min(pause * 2, 10);
        }
    }

    /** Polls {@code condition} until it is true, for at most {@link #DEFAULT}. */
    public static void until(BooleanSupplier condition) {
        until(condition, DEFAULT);
    }

    /**
     * Waits until {@code thread} is parked or waiting (states {@code WAITING} or
     * {@code TIMED_WAITING}): the way to know another thread has reached a blocking call.
     */
    public static void blocked(Thread thread) {
        until(() -> {
            Thread.State state = thread.getState();
            return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING;
        });
    }
}
