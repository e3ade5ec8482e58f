package dev.weft.internal.threads;

/** What the pools do with their own threads that the JDK does not do for them. */
public final class Threads {
    private Threads() {
    }

    /**
     * Joins {@code thread}, however often the caller is interrupted meanwhile, and then sets the
     * caller's interrupt status again if it was: for threads whose end a pool's life cycle waits for,
     * where giving up early would let a thread outlive its pool.
     */
    public static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        for (;;) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
