package dev.weft.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Pool;
import dev.weft.Pool.Configuration;
import dev.weft.ProcessPool;
import dev.weft.SerializableRunnable;
import dev.weft.TaskFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * One kind of {@link Pool}: the pool conformance suite runs each shared behaviour once per kind
 * (house style, habit 9). To add a kind, add a constant and list it in {@link #all()}; every
 * {@link EveryPool} test then runs on it too. Tasks in the suite are serializable ({@link Tasks})
 * and coordinate through {@link Flag}s and {@link Tally}s, so that they run on every kind.
 *
 * <p>A module that reuses the suite from this test jar (the cluster pool's) names a class with a
 * static {@code kinds()} method in the system property {@value #KINDS_PROPERTY}; the suite then
 * runs on those kinds only.
 *
 * @param name       how the kind appears in test reports
 * @param opener     opens a pool of this kind from a configuration change
 * @param threadName the prefix of its worker threads' names when the pool is named {@code NAME}
 * @param bounded    whether tasks beyond {@link #WORKERS} wait for a worker
 * @param where      where tasks run: in this JVM's threads, in worker processes, or on cluster members
 */
public record PoolKind(String name, Function<UnaryOperator<Configuration>, Pool> opener, String threadName,
                       boolean bounded, Where where) {
    /** Where a kind runs its tasks. */
    public enum Where {
        /** Threads of this JVM: tasks share the test's objects. */
        THREADS,
        /** Worker JVMs. */
        PROCESSES,
        /** Members of a cluster (in this JVM for the tests, but tasks travel serialized). */
        CLUSTER
    }

    /** The system property that names a class whose static {@code kinds()} replaces {@link #all()}. */
    public static final String KINDS_PROPERTY = "dev.weft.test.poolKinds";

    /** The worker count of the bounded kinds. */
    public static final int WORKERS = 3;

    public static final PoolKind IO = new PoolKind("io-unbounded", Pool::io, "weft-io-", false, Where.THREADS);
    public static final PoolKind IO_BOUNDED = new PoolKind("io-bounded",
            c -> Pool.io(x -> c.apply(x.withWorkers(WORKERS))), "weft-io-", true, Where.THREADS);
    public static final PoolKind CPU = new PoolKind("cpu",
            c -> Pool.cpu(x -> c.apply(x.withWorkers(WORKERS))), "weft-cpu-", true, Where.THREADS);

    /**
     * Worker JVMs. The shared configuration is translated: name, workers and initializer (which
     * must then be serializable). Tasks must be serializable, and cannot share objects with the
     * test: tests that need that coordinate through {@link Flag}s instead.
     */
    public static final PoolKind PROCESS = new PoolKind("process", PoolKind::openProcesses, "weft-process-", true,
            Where.PROCESSES);

    public PoolKind {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(opener, "opener");
        Objects.requireNonNull(where, "where");
    }

    /** Every kind; the argument source of {@link EveryPool}. */
    @SuppressWarnings("unchecked")
    public static Stream<PoolKind> all() {
        String other = System.getProperty(KINDS_PROPERTY);
        if (other != null) {
            try {
                return (Stream<PoolKind>) Class.forName(other).getMethod("kinds").invoke(null);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(KINDS_PROPERTY + "=" + other + " names no class with a static kinds()", e);
            }
        }
        return Stream.of(IO, IO_BOUNDED, CPU, PROCESS);
    }

    /** Whether tasks travel serialized (to another JVM, or to a cluster member), so they cannot touch the test's objects. */
    public boolean remote() {
        return where != Where.THREADS;
    }

    /** Whether tasks run in worker processes of this pool's own. */
    public boolean processes() {
        return where == Where.PROCESSES;
    }

    /**
     * Asserts that {@code callbackThread} is the thread that runs the callbacks of a task that ran
     * in {@code taskThread}: that thread itself; for worker JVMs the parent's reader thread of that
     * worker ({@code weft-process-POOL-N-reader}), which completes its futures; for a cluster, the
     * pool's callback thread ({@code weft-cluster-POOL-callback}), which completes its futures.
     */
    public void assertCallbackThread(String callbackThread, String taskThread) {
        switch (where) {
            case THREADS -> assertThat(callbackThread).isEqualTo(taskThread);
            case PROCESSES -> assertThat(callbackThread).isEqualTo(taskThread + "-reader");
            case CLUSTER -> assertThat(callbackThread).isEqualTo(taskThread.substring(0, taskThread.lastIndexOf('-') + 1)
                    + "callback");
        }
    }

    /**
     * Asserts that {@code arrived} is {@code thrown} as it reaches the test from a task: the same
     * object from a thread, a copy of the same class and message from a worker JVM.
     */
    public void assertArrived(Throwable arrived, Throwable thrown) {
        if (remote()) {
            assertThat(arrived).isExactlyInstanceOf(thrown.getClass()).hasMessage(thrown.getMessage());
        } else {
            assertThat(arrived).isSameAs(thrown);
        }
    }

    /**
     * Returns once every worker of {@code pool} has run a task. For worker JVMs, which take a few
     * hundred milliseconds to start, so that a test of a short deadline does not count their start;
     * threads start in microseconds, so for them it does nothing.
     */
    public void warm(Pool pool) throws Exception {
        if (!remote()) {
            return;
        }
        Tally arrived = Tally.create();
        int workers = pool.workers();
        List<TaskFuture<Object>> all = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            all.add(pool.submit(Tasks.call(() -> {
                arrived.add();
                arrived.awaitCount(workers, "every worker runs a warm-up task");
                return null;
            })));
        }
        for (TaskFuture<Object> f : all) {
            f.get(Await.LIMIT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    private static Pool openProcesses(UnaryOperator<Configuration> configure) {
        // Pool.Configuration has no public default; an IO pool (which starts no thread) hands it over.
        AtomicReference<Configuration> shared = new AtomicReference<>();
        Pool.io(c -> {
            shared.set(configure.apply(c.withWorkers(WORKERS)));
            return c;
        }).close();
        Configuration c = shared.get();
        return Pool.processes(p -> {
            // One task in flight per worker: a task the pool has not handed to an idle worker is still
            // here, so a cancellation of it is exact, as the shared suite expects of every kind. (A task
            // sent ahead to a busy worker is cancelled there only if the CANCEL gets there first; see
            // ProcessPool's javadoc.)
            ProcessPool.Configuration out = p.withWorkers(c.workers()).withTasksInFlight(1);
            if (c.name() != null) {
                out = out.withName(c.name());
            }
            if (c.initializer() != null) {
                Runnable initializer = c.initializer();
                if (!(initializer instanceof SerializableRunnable serializable)) {
                    throw new IllegalArgumentException("a process pool's initializer must be serializable");
                }
                out = out.withInitializer(serializable);
            }
            return out;
        });
    }

    /** Opens a pool of this kind with the default configuration. */
    public Pool open() {
        return open(UnaryOperator.identity());
    }

    /** Opens a pool of this kind; {@code configure} is applied after the kind's own settings. */
    public Pool open(UnaryOperator<Configuration> configure) {
        return opener.apply(configure);
    }

    @Override
    public String toString() {
        return name;
    }
}
