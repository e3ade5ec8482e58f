package dev.weft.testing;

import java.util.concurrent.CountDownLatch;

/**
 * Subtask bodies that block: "work that runs until it is interrupted", the stand-in for a slow call
 * that cancellation must stop. The sleep is not a wait for an event; nothing in a test waits for it
 * to end on its own.
 */
public final class Blocking {
    /** Far longer than any test runs. */
    private static final long FOREVER_MILLIS = 60_000;

    private Blocking() {
    }

    /** Sleeps until interrupted, then rethrows the {@link InterruptedException}. */
    public static <T> T untilInterrupted() throws InterruptedException {
        return untilInterrupted(null, null);
    }

    /**
     * Counts down {@code started} (if not null), sleeps until interrupted, then counts down
     * {@code interrupted} (if not null) and rethrows the {@link InterruptedException}.
     */
    public static <T> T untilInterrupted(CountDownLatch started, CountDownLatch interrupted)
            throws InterruptedException {
        if (started != null) {
            started.countDown();
        }
        try {
            Thread.sleep(FOREVER_MILLIS);
        } catch (InterruptedException e) {
            if (interrupted != null) {
                interrupted.countDown();
            }
            throw e;
        }
        throw new AssertionError("not interrupted within " + FOREVER_MILLIS + " ms");
    }
}
