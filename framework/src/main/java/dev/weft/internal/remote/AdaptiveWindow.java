package dev.weft.internal.remote;

/**
 * How many tasks a remote target may hold at once, when the user has not fixed the number: enough
 * to keep its workers busy while tasks and results travel, and no more than a short wait in its
 * queue.
 *
 * <p>A fixed window is right for one kind of task only. Long tasks need few in flight: each one
 * queued on a target waits a whole task behind the others, and a task queued there is not
 * available to a target that frees up first. Tiny tasks need many: a round trip to a member costs
 * a hundred times a trivial task, so with a few in flight the member idles while results travel.
 * This window learns which case it is in from how long each task was out (placed to outcome). The
 * shortest time seen is the round trip with no wait in the target's queue; what a task took beyond
 * that, its <em>delay</em>, is mostly time spent queued. Each outcome with a delay under
 * {@link #TARGET_NANOS} widens the window by one; each with a delay over twice that narrows it by
 * one; it stays within {@code [least, most]}. So tiny tasks widen it until the target's queue
 * holds about a millisecond of work, and tasks of a millisecond or more keep it at {@code least},
 * where a fixed window of that size would be.
 *
 * <p>Not thread-safe: the pool calls it under its lock.
 */
public final class AdaptiveWindow {
    /** The delay, beyond the shortest time out seen, under which the window widens. */
    public static final long TARGET_NANOS = 1_000_000;

    private final int least;
    private final int most;
    private int size;
    private long shortest = Long.MAX_VALUE;

    /**
     * A window of {@code least} that may grow to {@code most}.
     *
     * @throws IllegalArgumentException if {@code least} is less than 1 or {@code most} less than {@code least}
     */
    public AdaptiveWindow(int least, int most) {
        if (least < 1 || most < least) {
            throw new IllegalArgumentException("a window needs 1 <= least <= most, but was given " + least + ", " + most);
        }
        this.least = least;
        this.most = most;
        this.size = least;
    }

    /** How many tasks the target may hold now. */
    public int size() {
        return size;
    }

    /** A task of this target ended {@code nanosOut} after it was placed: widens or narrows the window. */
    public void ended(long nanosOut) {
        if (nanosOut < shortest) {
            shortest = nanosOut;
        }
        long delay = nanosOut - shortest;
        if (delay < TARGET_NANOS) {
            size = Math.min(most, size + 1);
        } else if (delay > 2 * TARGET_NANOS) {
            size = Math.max(least, size - 1);
        }
    }
}
