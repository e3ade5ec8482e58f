package dev.weft.testing;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * A {@link FutureTask} that records every thread that calls {@link #get()}: how tests see the
 * watcher threads that {@code Futures} starts for futures it cannot listen to.
 *
 * @param <V> the result type
 */
public final class RecordingFutureTask<V> extends FutureTask<V> {
    private final List<Thread> getters = new CopyOnWriteArrayList<>();

    /** Creates a task that runs {@code callable} when {@link #run()} is called. */
    public RecordingFutureTask(Callable<V> callable) {
        super(callable);
    }

    @Override
    public V get() throws InterruptedException, ExecutionException {
        getters.add(Thread.currentThread());
        return super.get();
    }

    /** Returns the threads that have called {@link #get()}, in call order. */
    public List<Thread> getters() {
        return List.copyOf(getters);
    }

    /** Returns whether some thread called {@link #get()} and every such thread has ended. */
    public boolean gettersEnded() {
        return !getters.isEmpty() && getters.stream().noneMatch(Thread::isAlive);
    }
}
