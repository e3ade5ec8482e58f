package dev.weft;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A queue that receives futures in the order they complete, over any kind of {@link Future}:
 * the machinery under {@link Futures#wait} and {@link Futures#asCompleted}, the counterpart of the
 * {@code _Waiter} objects of Python's {@code concurrent.futures}.
 *
 * <p>Overview. The constructor attaches one {@link Relay} to each future; when the future is done
 * the relay puts it on {@link #completed}, once. How a relay learns of completion depends on the
 * future:
 * <ul>
 * <li>{@link TaskFuture}: a removable listener ({@link TaskFuture#addListener}), run by the
 *     completing thread. {@link #close()} removes it, so nothing stays behind.</li>
 * <li>{@link CompletableFuture}: a {@code whenComplete} action, run by the completing thread. It
 *     cannot be removed: until the future completes it keeps a small completion node and the
 *     relay, whose link to this queue {@code close} cuts.</li>
 * <li>Any other future: a virtual thread named {@value #WATCHER_NAME} that blocks in
 *     {@code get()}. {@code close} interrupts it and, for a {@link FutureTask} or a
 *     {@link ForkJoinTask} (whose {@code get} answers interrupts), waits until it has ended. A
 *     future whose {@code get} ignores interrupts keeps its watcher until it completes.</li>
 * </ul>
 * Invariants: each future given is put on the queue at most once (each relay fires at most once);
 * after {@code close} nothing more is put on it. The queue is an unbounded
 * {@link LinkedBlockingQueue}, so relays never block the thread that completes a future, and a
 * future taken from it happens-after its relay fired, hence after its completion.
 *
 * <p>Thread safety: {@link #poll} and {@link #close} are called by the one thread that waits;
 * {@link #release()} may be called from a cleaner thread as well; both are idempotent together.
 *
 * @param <F> the future type
 */
final class CompletionQueue<F extends Future<?>> implements AutoCloseable {
    static final String WATCHER_NAME = "weft-futures-watcher";

    /** Futures whose relay fired, in firing order. Written by completing threads and watchers,
     *  read by the waiting thread. */
    private final LinkedBlockingQueue<F> completed = new LinkedBlockingQueue<>();
    /** One relay per future given; filled by the constructor, read by whoever releases. */
    private final List<Relay<F>> relays;
    /** Set by the first release; any thread. */
    private final AtomicBoolean released = new AtomicBoolean();

    /** Attaches a relay to each of {@code futures}, which must be distinct. */
    CompletionQueue(List<? extends F> futures) {
        relays = new ArrayList<>(futures.size());
        try {
            for (F future : futures) {
                Relay<F> relay = new Relay<>(future, completed);
                relays.add(relay);
                relay.attach();
            }
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    /**
     * Returns the next completed future: at once if one is queued, else after waiting until one
     * completes, or until the {@link System#nanoTime()} deadline when {@code timed}.
     *
     * @return the future, or null if the deadline passed first
     * @throws InterruptedException if the thread was interrupted while it had to wait
     */
    F poll(boolean timed, long deadline) throws InterruptedException {
        F future = completed.poll();
        if (future != null) {
            return future;
        }
        if (!timed) {
            return completed.take();
        }
        long left = deadline - System.nanoTime();
        return left <= 0L ? null : completed.poll(left, TimeUnit.NANOSECONDS);
    }

    /**
     * Detaches every relay, then waits until the watchers of futures that answer interrupts have
     * ended. The wait is not cut short by an interrupt; the interrupt status is set again after.
     */
    @Override
    public void close() {
        if (!release()) {
            return;
        }
        boolean interrupted = false;
        for (Relay<F> relay : relays) {
            interrupted |= relay.joinWatcher();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Detaches every relay without waiting: listeners removed, links cut, watchers interrupted.
     * Safe from any thread (a cleaner's, for an abandoned iteration).
     *
     * @return whether this call did it, false if it was already done
     */
    boolean release() {
        if (!released.compareAndSet(false, true)) {
            return false;
        }
        for (Relay<F> relay : relays) {
            relay.detach();
        }
        return true;
    }

    /**
     * Puts one future on the queue when it completes. Only the fields written before
     * {@link #attach()} returns are read by other threads (publication through the list of relays,
     * or through the cleaner's registration).
     */
    private static final class Relay<F extends Future<?>> implements Runnable {
        private final F future;
        /** The queue, until detached. Read by the thread that fires, cleared by the releasing one. */
        private volatile LinkedBlockingQueue<F> target;
        /** The TaskFuture listener handle, or null. Written in attach, read in detach. */
        private Object listener;
        /** The watcher thread, or null. Written in attach, read in detach and joinWatcher. */
        private Thread watcher;

        Relay(F future, LinkedBlockingQueue<F> target) {
            this.future = future;
            this.target = target;
        }

        void attach() {
            if (future instanceof TaskFuture<?> taskFuture) {
                listener = taskFuture.addListener(this);
            } else if (future instanceof CompletableFuture<?> completable) {
                completable.whenComplete((value, exception) -> run());
            } else {
                watcher = Thread.ofVirtual().name(WATCHER_NAME).start(this::watch);
            }
        }

        /** Fires: puts the future on the queue unless detached. Never blocks, never throws. */
        @Override
        public void run() {
            LinkedBlockingQueue<F> queue = target;
            if (queue != null) {
                target = null;
                queue.add(future);
            }
        }

        /** The watcher thread's body: wait for the future, then fire, unless interrupted. */
        private void watch() {
            try {
                future.get();
            } catch (InterruptedException e) {
                return;     // the wait is over: nobody listens any more
            } catch (Throwable t) {
                // done all the same: failed, cancelled, or a get() that throws what it should wrap
            }
            run();
        }

        void detach() {
            target = null;
            if (listener != null) {
                ((TaskFuture<?>) future).removeListener(listener);
            }
            if (watcher != null) {
                watcher.interrupt();
            }
        }

        /** Waits, uninterruptibly, for a watcher of a future that answers interrupts; returns
         *  whether the caller was interrupted meanwhile. */
        boolean joinWatcher() {
            if (watcher == null || !(future instanceof FutureTask<?> || future instanceof ForkJoinTask<?>)) {
                return false;
            }
            boolean interrupted = false;
            for (;;) {
                try {
                    watcher.join();
                    return interrupted;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
    }
}
