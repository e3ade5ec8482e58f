package dev.weft;

import java.util.concurrent.locks.LockSupport;

/**
 * The values of a {@link TaskFuture}'s {@code state} field: its state machine. The whole outcome
 * lives in that one volatile field, changed only by CAS:
 * <pre>
 *   null                        pending
 *   Running(runner)             running (markRunning)
 *   NIL or any other object     completed normally (NIL stands for a null result)
 *   Failure(exception)          completed exceptionally
 *   Cancelled                   cancelled; CANCELLED, or a fresh one whose `runner` is set
 *                               while a cancel(true) still has to interrupt that runner
 * </pre>
 * The first CAS from pending/running to a final value wins; final values never change. Every
 * value is immutable but a fresh {@link Cancelled}, whose interrupt handshake is described there.
 */
final class FutureState {
    /** The result of a future completed normally with {@code null}. */
    static final Object NIL = new Object();
    /** The cancelled state when no runner needs an interrupt. */
    static final Cancelled CANCELLED = new Cancelled(null);

    private FutureState() {
    }

    /** Returns whether {@code s} is a final state: completed normally or exceptionally, or cancelled. */
    static boolean isFinal(Object s) {
        return s != null && !(s instanceof Running);
    }

    /** The running state: who runs the task. Immutable. */
    record Running(Thread runner) {
    }

    /** The exceptional outcome. Immutable. */
    record Failure(Throwable exception) {
    }

    /**
     * The cancelled state. For a cancel(true) that took a running future, {@code runner} is that
     * runner until the cancelling thread has run onCancel (and so delivered the interrupt); the
     * runner's own final complete call waits for that in {@link #awaitDelivery()}.
     */
    static final class Cancelled {
        /** Non-null while an interrupt is due. Written by the constructing (cancelling) thread, then
         *  cleared by it in {@link #delivered()}; read by the runner. */
        private volatile Thread runner;
        /** The runner while it parks in {@link #awaitDelivery()}; written by the runner, read by the
         *  cancelling thread. */
        private volatile Thread parked;

        Cancelled(Thread runner) {
            this.runner = runner;
        }

        /** The runner an interrupt is still due to, or null. */
        Thread runner() {
            return runner;
        }

        /** Cancelling thread: onCancel has returned, so any interrupt has been delivered. */
        void delivered() {
            if (runner != null) {
                runner = null;
                Thread p = parked;
                if (p != null) {
                    LockSupport.unpark(p);
                }
            }
        }

        /** Returns at once unless the caller is the runner and its interrupt is still due. */
        void awaitDelivery() {
            Thread me = Thread.currentThread();
            if (runner != me) {
                return;
            }
            parked = me;
            boolean interrupted = false;
            while (runner == me) {
                LockSupport.park(this);
                interrupted |= Thread.interrupted();   // park returns at once while interrupted
            }
            if (interrupted) {
                me.interrupt();
            }
        }
    }
}
