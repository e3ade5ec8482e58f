package dev.weft;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code ExecutorService}'s bulk calls, {@code invokeAll} and {@code invokeAny}, for every kind of
 * pool ({@link AbstractPool} delegates to them). They are written here rather than inherited from
 * {@code AbstractExecutorService} for two reasons: a null task is a {@link NullPointerException} at
 * the call, before anything is submitted (the JDK's would fail that task's future instead), and the
 * tasks are the pool's own {@link PoolTask}s, which a process pool can send to a worker (the JDK's
 * {@code invokeAny} hands {@code execute} a wrapper of its own). Stateless; they run in the calling
 * thread, and an untimed wait from one of the pool's own threads counts as one of its waits
 * ({@link AbstractPool#enterOwnWait}).
 */
final class PoolInvocations {
    private PoolInvocations() {
    }

    /**
     * Submits every task and waits for all. Overridden so that a null task is a
     * {@link NullPointerException} at the call, before anything is submitted
     * ({@code AbstractExecutorService}'s would fail that task's future instead), and so that the
     * tasks are this pool's own, as {@code submit} makes them.
     */
    static <T> List<Future<T>> invokeAll(AbstractPool pool, Collection<? extends Callable<T>> tasks)
            throws InterruptedException {
        List<PoolTask<T>> all = tasksOf(pool, tasks, "invokeAll");
        try {
            all.forEach(pool::enqueue);
            for (PoolTask<T> t : all) {
                awaitQuietly(t);
            }
        } catch (Throwable e) {
            all.forEach(t -> t.cancel(true));
            throw e;
        }
        return List.<Future<T>>copyOf(all);
    }

    /** As {@link #invokeAll(AbstractPool, Collection)}; the tasks not done when the timeout passes are cancelled. */
    static <T> List<Future<T>> invokeAll(AbstractPool pool, Collection<? extends Callable<T>> tasks, long timeout,
                                          TimeUnit unit) throws InterruptedException {
        List<PoolTask<T>> all = tasksOf(pool, tasks, "invokeAll");
        long deadline = System.nanoTime() + Objects.requireNonNull(unit, "unit").toNanos(timeout);
        try {
            all.forEach(pool::enqueue);
            for (PoolTask<T> t : all) {
                try {
                    t.get(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                } catch (ExecutionException | CancellationException e) {
                    // done: the caller reads it from the list
                } catch (TimeoutException e) {
                    break;
                }
            }
        } catch (Throwable e) {
            all.forEach(t -> t.cancel(true));
            throw e;
        }
        all.forEach(t -> t.cancel(true));    // those not done in time; does nothing to the others
        return List.<Future<T>>copyOf(all);
    }

    private static void awaitQuietly(PoolTask<?> task) throws InterruptedException {
        try {
            task.get();
        } catch (ExecutionException | CancellationException e) {
            // done: the caller reads it from the list
        }
    }

    /** One new task per callable, or a NullPointerException that says which one is null. */
    private static <T> List<PoolTask<T>> tasksOf(AbstractPool pool, Collection<? extends Callable<T>> tasks,
                                                  String method) {
        Objects.requireNonNull(tasks, "tasks");
        List<PoolTask<T>> all = new ArrayList<>(tasks.size());
        for (Callable<T> task : tasks) {
            if (task == null) {
                throw new NullPointerException(method + ": tasks contains null (at position " + all.size()
                        + "); nothing was submitted");
            }
            all.add(new PoolTask<>(pool, task, false));
        }
        return all;
    }

    /**
     * Runs every task and returns the result of one that succeeded; the others are cancelled.
     * Overridden because {@code AbstractExecutorService}'s version hands {@code execute} its own
     * wrapper around each task, which a process pool cannot send to a worker.
     */
    static <T> T invokeAny(AbstractPool pool, Collection<? extends Callable<T>> tasks)
            throws InterruptedException, ExecutionException {
        try {
            return invokeAny(pool, tasks, false, 0);
        } catch (TimeoutException e) {
            throw new AssertionError("an untimed invokeAny timed out", e);
        }
    }

    static <T> T invokeAny(AbstractPool pool, Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        return invokeAny(pool, tasks, true, Objects.requireNonNull(unit, "unit").toNanos(timeout));
    }

    private static <T> T invokeAny(AbstractPool pool, Collection<? extends Callable<T>> tasks, boolean timed, long nanos)
            throws InterruptedException, ExecutionException, TimeoutException {
        List<PoolTask<T>> all = tasksOf(pool, tasks, "invokeAny");
        if (all.isEmpty()) {
            throw new IllegalArgumentException("invokeAny needs at least one task");
        }
        long deadline = System.nanoTime() + nanos;
        List<PoolTask<T>> submitted = new ArrayList<>(all.size());
        LinkedBlockingQueue<PoolTask<T>> done = new LinkedBlockingQueue<>();
        try {
            for (PoolTask<T> t : all) {
                t.onDone(f -> done.add(t));
                submitted.add(t);
                pool.enqueue(t);
            }
            ExecutionException last = null;
            for (int i = 0; i < submitted.size(); i++) {
                PoolTask<T> first = timed ? done.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS) : take(pool, done, all);
                if (first == null) {
                    throw new TimeoutException("no task of invokeAny succeeded within the timeout");
                }
                try {
                    return first.get();
                } catch (ExecutionException e) {
                    last = e;
                } catch (CancellationException e) {
                    last = new ExecutionException("a task of invokeAny was cancelled", e);
                }
            }
            throw last;
        } finally {
            submitted.forEach(t -> t.cancel(true));
        }
    }

    /** invokeAny's untimed wait for the next task to end, checked as a wait for one of {@code tasks}. */
    private static <T> PoolTask<T> take(AbstractPool pool, LinkedBlockingQueue<PoolTask<T>> done,
                                         List<PoolTask<T>> tasks)
            throws InterruptedException {
        PoolTask<T> next = done.poll();
        if (next != null) {
            return next;
        }
        PoolTask<T> pending = tasks.stream().filter(t -> !t.isDone()).findFirst().orElse(tasks.get(0));
        boolean counted = pool.enterOwnWait(pending);
        try {
            return done.take();
        } finally {
            if (counted) {
                pool.exitOwnWait();
            }
        }
    }
}
