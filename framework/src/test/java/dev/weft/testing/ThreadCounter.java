package dev.weft.testing;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A thread factory that counts: threads created, threads whose task started, threads whose task
 * finished, and keeps every thread it created. A hand-written test double (house style, habit 10).
 *
 * <p>The count of finished tasks is incremented at the very end of the thread's task, so once the
 * thread has been joined, {@link #live()} counts exactly the threads that are still running or were
 * created and never finished. Thread-safe.
 */
public final class ThreadCounter implements ThreadFactory {
    private final ThreadFactory delegate;
    private final AtomicInteger created = new AtomicInteger();
    private final AtomicInteger started = new AtomicInteger();
    private final AtomicInteger finished = new AtomicInteger();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    /** Counts the threads that {@code delegate} creates. */
    public ThreadCounter(ThreadFactory delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public Thread newThread(Runnable task) {
        Thread thread = delegate.newThread(() -> {
            started.incrementAndGet();
            try {
                task.run();
            } finally {
                finished.incrementAndGet();
            }
        });
        if (thread != null) {
            created.incrementAndGet();
            threads.add(thread);
        }
        return thread;
    }

    /** Threads created so far. */
    public int created() {
        return created.get();
    }

    /** Threads whose task has started. */
    public int started() {
        return started.get();
    }

    /** Threads whose task has finished. */
    public int finished() {
        return finished.get();
    }

    /** Threads created whose task has not finished: running, or created and never run. */
    public int live() {
        return created.get() - finished.get();
    }

    /** Every thread created, in creation order. */
    public List<Thread> threads() {
        return List.copyOf(threads);
    }

    /** The threads created that are still alive. */
    public List<Thread> alive() {
        return threads.stream().filter(Thread::isAlive).toList();
    }

    @Override
    public String toString() {
        return "ThreadCounter[created=" + created + ", started=" + started + ", finished=" + finished + "]";
    }
}
