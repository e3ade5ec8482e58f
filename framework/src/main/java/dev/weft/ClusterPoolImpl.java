package dev.weft;

import dev.weft.spi.AllowList;
import dev.weft.spi.ClusterBackend;
import dev.weft.spi.ClusterProvider;
import dev.weft.spi.ClusterTasks;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectInputFilter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The cluster pool: Weft's queue, per-member bound and life cycle over a {@link ClusterBackend},
 * which only sends tasks and reports outcomes.
 *
 * <p>A job is <em>pending</em> (here, in {@code pending}) or <em>sent</em> (its member holds it).
 * Under {@code lock}, {@link #schedule()} moves pending jobs to the least loaded member with room;
 * sending itself happens outside the lock, because an engine may block or call back. A job leaves
 * {@code jobs} when the engine reports its outcome, or when it is cancelled while pending; the pool
 * terminates once it is shut down and {@code jobs} is empty.
 */
final class ClusterPoolImpl extends AbstractPool implements ClusterPool {
    private static final AtomicLong POOL_IDS = new AtomicLong();

    private static final class Job {
        final PoolTask<?> task;
        final Member target;
        final Object key;
        /** The task, serialized once, at submission. */
        final byte[] payload;
        /** The member it was sent to, for the bound; null when placed by target or key. */
        String memberId;
        volatile ClusterBackend.Sent sent;

        Job(PoolTask<?> task, Member target, Object key) {
            this.task = task;
            this.payload = serialize(task.callable(), "a task");
            this.target = target;
            this.key = key;
        }

        boolean placed() {
            return target != null || key != null;
        }
    }

    private final String name;
    private final String executorName;
    private final int perMember;
    /** How many of this pool's unplaced tasks a member holds at once. */
    private final int inFlight;
    /** The cap on this pool's tasks out at once, or 0. */
    private final int cap;
    /** How many of this pool's unplaced tasks are out now. */
    private int out;
    private final boolean durable;
    private final String engine;
    private final ClusterBackend backend;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Pool.class);
    private static final Runnable STOP = () -> { };
    private final LinkedBlockingQueue<Runnable> completions = new LinkedBlockingQueue<>();
    private final Thread completer;
    private final ObjectInputFilter filter;
    /** The pool whose callback the current thread runs: see {@link #isOwnWorker()}. */
    private static final ThreadLocal<ClusterPoolImpl> CALLBACK = new ThreadLocal<>();

    private final ArrayDeque<Job> pending = new ArrayDeque<>();
    private final Map<String, Integer> load = new HashMap<>();
    private final Map<PoolTask<?>, Job> jobs = new ConcurrentHashMap<>();
    private int rotation;
    private volatile BrokenPoolException broken;
    private boolean finishing;

    private ClusterPoolImpl(ClusterPool.Configuration config, ClusterProvider provider) {
        this.name = config.name() != null ? config.name() : "cluster-" + POOL_IDS.incrementAndGet();
        this.perMember = config.workersPerMember() > 0 ? config.workersPerMember() : ThreadPoolImpl.carrierCount();
        this.cap = config.workers();
        this.inFlight = config.tasksInFlight() > 0 ? config.tasksInFlight() : 4 * perMember;
        this.executorName = "weft." + name + "." + UUID.randomUUID();
        this.durable = config.durable();
        this.engine = provider.name();
        String threadPrefix = config.name() != null ? "weft-cluster-" + name + "-" : "weft-cluster-";
        this.filter = AllowList.filter(config.allowedClasses());
        byte[] initializer = config.initializer() == null ? null : serialize(config.initializer(), "the initializer");
        this.backend = provider.open(config, new ClusterProvider.Pool(name, threadPrefix, executorName, perMember,
                initializer));
        this.completer = Thread.ofPlatform().name(threadPrefix + "callback").daemon().start(this::complete);
        backend.onMembershipChange(() -> completions.add(() -> act(locked(this::schedule))));
    }

    static ClusterPool create(ClusterPool.Configuration config) {
        return new ClusterPoolImpl(config, provider());
    }

    private static ClusterProvider provider() {
        List<ClusterLoader> loaders = List.of(
                () -> ServiceLoader.load(ClusterProvider.class),
                () -> ServiceLoader.load(ClusterProvider.class, ClusterPool.class.getClassLoader()));
        for (ClusterLoader loader : loaders) {
            try {
                Iterator<ClusterProvider> found = loader.load().iterator();
                if (found.hasNext()) {
                    return found.next();
                }
            } catch (ServiceConfigurationError e) {
                throw new IllegalStateException("the cluster engine on the class path cannot be loaded: " + e, e);
            }
        }
        throw new IllegalStateException("Pool.cluster needs a cluster engine, and none is on the class path: add the "
                + "dependency dev.weft:weft-hazelcast (see Weft's guide, section 'When one machine is not "
                + "enough: the cluster pool')");
    }

    private interface ClusterLoader {
        ServiceLoader<ClusterProvider> load();
    }

    static Optional<Member> currentMember() {
        return Optional.ofNullable(ClusterTasks.current());
    }

    // ---- submission and dispatch --------------------------------------------------------------

    @Override
    void enqueue(PoolTask<?> task) {
        enqueue(new Job(task, null, null));
    }

    @Override
    public <T> TaskFuture<T> submitTo(Member member, SerializableCallable<T> task) {
        java.util.Objects.requireNonNull(member, "member");
        java.util.Objects.requireNonNull(task, "task");
        if (durable) {
            throw new UnsupportedOperationException("pool '" + name + "' runs durable tasks, which the cluster places "
                    + "by key: use submitToKeyOwner, or a pool without withDurable(true)");
        }
        if (backend.members().stream().noneMatch(m -> m.id().equals(member.id()))) {
            throw new IllegalArgumentException(member + " is not a member of pool '" + name + "''s cluster now; "
                    + "members() lists those that are");
        }
        PoolTask<T> t = new PoolTask<>(this, task, false);
        enqueue(new Job(t, member, null));
        return t;
    }

    @Override
    public <T> TaskFuture<T> submitToKeyOwner(Object key, SerializableCallable<T> task) {
        java.util.Objects.requireNonNull(key, "key");
        java.util.Objects.requireNonNull(task, "task");
        serialize(key, "a key");
        PoolTask<T> t = new PoolTask<>(this, task, false);
        enqueue(new Job(t, null, key));
        return t;
    }

    private void enqueue(Job job) {
        List<Job> send;
        lock.lock();
        try {
            if (broken != null) {
                throw new BrokenPoolException("pool '" + name + "' is broken: " + broken.getMessage(), broken.getCause());
            }
            if (state != RUNNING) {
                throw new RejectedExecutionException("pool '" + name + "' is shut down (closed): it accepts no new tasks");
            }
            jobs.put(job.task, job);
            if (job.placed() || durable) {
                send = new ArrayList<>(List.of(job));
                send.addAll(schedule());
            } else {
                pending.add(job);
                send = schedule();
            }
        } finally {
            lock.unlock();
        }
        act(send);
    }

    /** Under lock: takes the pending jobs that have a member with room, and charges them to it. */
    private List<Job> schedule() {
        List<Job> send = new ArrayList<>();
        if (pending.isEmpty()) {
            return send;
        }
        List<Member> members = backend.members();
        while (!pending.isEmpty() && !members.isEmpty() && (cap == 0 || out < cap)) {
            Member chosen = null;
            int least = inFlight;
            int n = members.size();
            for (int i = 0; i < n; i++) {
                Member m = members.get((rotation + i) % n);
                int used = load.getOrDefault(m.id(), 0);
                if (used < least) {
                    least = used;
                    chosen = m;
                }
            }
            if (chosen == null) {
                break;                              // every member is full: wait for a completion
            }
            rotation++;
            Job job = pending.poll();
            if (job.task.isDone()) {                // cancelled while pending
                jobs.remove(job.task);
                continue;
            }
            job.memberId = chosen.id();
            load.merge(chosen.id(), 1, Integer::sum);
            out++;
            send.add(job);
        }
        return send;
    }

    private void act(List<Job> send) {
        for (Job job : send) {
            if (!job.task.tryMarkRunning()) {          // cancelled before it left
                settle(job);
                continue;
            }
            Member target = job.target;
            if (target == null && job.memberId != null) {
                target = backend.members().stream().filter(m -> m.id().equals(job.memberId)).findFirst().orElse(null);
            }
            try {
                job.sent = backend.send(job.payload, target, job.key, completion(job));
            } catch (RuntimeException e) {
                job.task.completeExceptionally(e);
                settle(job);
                continue;
            }
            if (job.task.isCancelled()) {           // cancelled while it was being sent
                job.sent.cancel(true);
            }
        }
        finishIfDone();
    }

    /**
     * The outcome of {@code job}, handed from the engine's thread (where Hazelcast forbids remote
     * calls, so no callback and no next send may run there) to the pool's completer thread,
     * {@code weft-cluster-POOL-callback}, which decodes it, completes the future and so runs its
     * callbacks, and sends what waited for the place it frees.
     */
    private ClusterBackend.Completion completion(Job job) {
        return new ClusterBackend.Completion() {
            @Override
            public void succeeded(byte[] outcome) {
                completions.add(() -> decode(job, outcome));
            }

            @Override
            public void failed(Throwable failure) {
                completions.add(() -> fail(job, failure));
            }
        };
    }

    /** The completer thread's loop: runs what {@link #completion} hands it, until {@link #STOP}. */
    private void complete() {
        CALLBACK.set(this);
        for (;;) {
            Runnable next;
            try {
                next = completions.take();
            } catch (InterruptedException e) {
                continue;               // only STOP ends it: an outcome may still be on its way
            }
            if (next == STOP) {
                return;
            }
            try {
                next.run();
            } catch (RuntimeException | Error e) {
                LOG.error("pool '{}' failed to complete a task's future", name, e);
            }
        }
    }

    /** What the member sent: a result, the task's exception, or the initializer's; see {@link ClusterTasks}. */
    private void decode(Job job, byte[] sent) {
        ClusterTasks.Outcome outcome;
        Object value;
        try {
            outcome = ClusterTasks.Outcome.decode(sent);
        } catch (IOException | RuntimeException e) {
            fail(job, new IllegalStateException("a member of pool '" + name + "''s cluster returned what is not a "
                    + "task's outcome: is every member on the same Weft version?", e));
            return;
        }
        try {
            value = AllowList.deserialize(outcome.payload(), filter);
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            fail(job, new RemoteTaskException(e.getClass().getName(), "what " + outcome.where() + " of pool '" + name
                    + "' sent as a task's " + (outcome.kind() == ClusterTasks.RESULT ? "result" : "exception")
                    + " cannot be deserialized here: " + e.getMessage()
                    + (e instanceof ClassNotFoundException ? " is not on this JVM's class path" : ""), e.getStackTrace()));
            return;
        }
        switch (outcome.kind()) {
            case ClusterTasks.RESULT -> {
                markItemFailures(value, outcome.where());
                complete(job.task, value);
                settle(job);
            }
            case ClusterTasks.INITIALIZER_FAILED -> {
                Throwable t = (Throwable) value;
                breakPool(new BrokenPoolException("pool '" + name + "' is broken: its initializer threw on "
                        + outcome.where() + ": " + t, t));
                fail(job, broken);
            }
            default -> fail(job, mark((Throwable) value, outcome.where()));
        }
    }

    /** Gives an exception from a member a cause that says where it was thrown, as a process pool does. */
    private Throwable mark(Throwable t, String where) {
        if (t.getCause() == null && !(t instanceof RemoteTaskException)) {
            try {
                t.initCause(new RemoteTaskException(t.getClass().getName(), "thrown in " + where + " of pool '" + name
                        + "'", t.getStackTrace()));
            } catch (IllegalStateException e) {
                // its cause was set to null explicitly: leave it
            }
        }
        return t;
    }

    private void markItemFailures(Object value, String where) {
        if (value instanceof Object[] items) {
            for (Object item : items) {
                if (item instanceof PoolMapping.ItemFailure failure) {
                    mark(failure.exception(), where);
                }
            }
        }
    }

    private void fail(Job job, Throwable failure) {
        if (!(failure instanceof CancellationException && job.task.isCancelled())) {
            job.task.completeExceptionally(failure);
        }
        settle(job);
    }

    @SuppressWarnings("unchecked")
    private static <T> void complete(PoolTask<T> task, Object result) {
        task.complete((T) result);
    }

    /** The job has ended on its member (or never left): frees its place and sends what waited for it. */
    private void settle(Job job) {
        List<Job> send = locked(() -> {
            if (jobs.remove(job.task) != null && job.memberId != null) {
                load.computeIfPresent(job.memberId, (id, n) -> n > 1 ? n - 1 : null);
                out--;
            }
            return schedule();
        });
        act(send);
    }

    private void breakPool(BrokenPoolException why) {
        List<Job> drained = locked(() -> {
            if (broken == null) {
                broken = why;
            }
            if (state == RUNNING) {
                state = SHUTDOWN;
            }
            List<Job> all = new ArrayList<>(pending);
            pending.clear();
            return all;
        });
        for (Job job : drained) {
            job.task.completeExceptionally(broken);
            settle(job);
        }
    }

    @Override
    boolean cancelRemotely(PoolTask<?> task, boolean mayInterruptIfRunning) {
        Job job = jobs.get(task);
        ClusterBackend.Sent sent = job != null ? job.sent : null;
        if (sent != null) {
            sent.cancel(mayInterruptIfRunning);
        } else if (job != null && locked(() -> pending.remove(job))) {
            settle(job);
        }
        return true;
    }

    /** {@code value} by Java serialization, or an exception at the call that was given it, naming the class. */
    private static byte[] serialize(Object value, String what) {
        try {
            return AllowList.serialize(value);
        } catch (NotSerializableException e) {
            throw new IllegalArgumentException(what + " given to a cluster pool cannot be sent to a member: "
                    + e.getMessage() + " is not serializable. Pass a serializable function (on a ClusterPool, a lambda "
                    + "is one; see SerializableFunction) that captures only serializable values", e);
        } catch (IOException e) {
            throw new IllegalArgumentException(what + " given to a cluster pool cannot be serialized: " + e, e);
        }
    }

    // ---- life cycle -------------------------------------------------------------------------------

    @Override
    boolean isTerminating() {
        return state == TERMINATED;
    }

    @Override
    boolean isOwnWorker() {
        return CALLBACK.get() == this || executorName.equals(ClusterTasks.currentExecutor());
    }

    @Override
    public void shutdown() {
        advance(SHUTDOWN, pending, false);
        finishIfDone();
    }

    @Override
    public void shutdown(boolean wait, boolean cancelFutures) throws InterruptedException {
        for (Job job : advance(SHUTDOWN, pending, cancelFutures)) {
            job.task.cancel(false);
            settle(job);
        }
        finishIfDone();
        if (wait) {
            awaitTerminated();
        }
    }

    @Override
    public List<Runnable> shutdownNow() {
        List<Job> drained = advance(TERMINATED, pending, true);
        List<Runnable> never = new ArrayList<>();
        for (Job job : drained) {
            job.task.cancel(false);
            never.add(job.task);
            settle(job);
        }
        for (Job job : new ArrayList<>(jobs.values())) {
            job.task.cancel(true);
        }
        finishIfDone();
        return never;
    }

    /** Once shut down with no job left: stops the member in a thread of its own, then terminates. */
    private void finishIfDone() {
        boolean finish = locked(() -> {
            if (state == RUNNING || !jobs.isEmpty() || finishing) {
                return false;
            }
            finishing = true;
            return true;
        });
        if (finish) {
            Thread.ofPlatform().name("weft-cluster-" + name + "-close").start(() -> {
                chainExit();
                try {
                    backend.close();
                } finally {
                    completions.add(STOP);
                    joinUninterruptibly(completer);
                    terminated.complete(null);
                }
            });
        }
    }

    @Override
    public boolean isShutdown() {
        return state != RUNNING;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int workers() {
        return cap > 0 ? cap : Math.max(1, backend.members().size()) * perMember;
    }

    @Override
    public List<Member> members() {
        return backend.members();
    }

    @Override
    public Member localMember() {
        return backend.localMember();
    }

    @Override
    public <T> T unwrap(Class<T> type) {
        T found = backend.unwrap(java.util.Objects.requireNonNull(type, "type"));
        if (found == null) {
            throw new IllegalArgumentException("pool '" + name + "' runs on " + engine + ", which has no " + type.getName());
        }
        return found;
    }

    @Override
    public String toString() {
        return "Pool[" + name + ", cluster on " + engine + ", " + perMember + " workers per member, "
                + (broken != null ? "broken" : isTerminated() ? "terminated" : state == RUNNING ? "running" : "shut down")
                + "]";
    }
}
