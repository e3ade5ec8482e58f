package dev.weft;

import dev.weft.internal.cluster.ClusterTasks;
import dev.weft.internal.remote.AdaptiveWindow;
import dev.weft.internal.remote.RemoteDispatcher;
import dev.weft.internal.threads.Threads;
import dev.weft.internal.wire.AllowList;
import dev.weft.internal.wire.SharedFunctions;
import dev.weft.internal.wire.StandIn;
import dev.weft.spi.ClusterBackend;
import dev.weft.spi.ClusterProvider;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectInputFilter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * The cluster pool: Weft's queue, per-member bound and life cycle over a {@link ClusterBackend},
 * which only sends tasks and reports outcomes.
 *
 * <p>The {@link RemoteDispatcher} holds the jobs: <em>pending</em>, or <em>out</em> (a member
 * holds it). Under {@code lock}, {@link #schedule()} places pending jobs on the least loaded
 * member's lane with room ({@link MemberLane}); a job placed by the caller (by member or by key)
 * goes out at once. Sending itself happens outside the lock, because an engine may block or call
 * back. A job is released when the engine reports its outcome; a job cancelled while pending
 * leaves the queue. The pool terminates once it is shut down and the dispatcher holds no job.
 */
final class ClusterPoolImpl extends AbstractPool implements ClusterPool {
    private static final AtomicLong POOL_IDS = new AtomicLong();
    private static final AtomicLong JOB_IDS = new AtomicLong();

    /** A task on its way to a member; its payload is the task, serialized once, at submission. */
    private static final class Job extends RemoteDispatcher.Job {
        /** The task's future, which {@link RemoteDispatcher} sees as its ticket. */
        final PoolTask<?> task;
        /** The member or key the caller placed it by; both null when the dispatcher places it. */
        final Member target;
        final Object key;
        /** The engine's handle once sent: written by the sending thread, read by a cancelling one. */
        volatile ClusterBackend.Sent sent;
        /** Whether its member answered; the completer's alone. */
        boolean answered;

        Job(PoolTask<?> task, Member target, Object key) {
            super(task, JOB_IDS.incrementAndGet(), taskBytes(task.callable()));
            this.task = task;
            this.target = target;
            this.key = key;
        }

        boolean placed() {
            return target != null || key != null;
        }
    }

    /** A member as the dispatcher sees it: it takes up to {@code inFlight} of this pool's unplaced tasks. */
    private final class MemberLane extends RemoteDispatcher.Lane<Job> {
        final String memberId;
        /** The member's window if the pool's configuration does not fix it, else null. Under lock. */
        final AdaptiveWindow adaptive = inFlight > 0 ? null : new AdaptiveWindow(LEAST_PER_WORKER * perMember,
                MOST_PER_WORKER * perMember);

        MemberLane(String memberId) {
            this.memberId = memberId;
        }

        @Override
        protected boolean open() {
            return true;
        }

        @Override
        protected int window() {
            return adaptive != null ? adaptive.size() : inFlight;
        }
    }

    /** The bounds of a member's window, per worker, when the configuration leaves it to the pool. */
    static final int LEAST_PER_WORKER = 4, MOST_PER_WORKER = 64;

    private final String executorName;
    private final int perMember;
    /** How many of this pool's unplaced tasks a member holds at once, or 0: its {@link AdaptiveWindow}. */
    private final int inFlight;
    /** The cap on this pool's tasks out at once, or 0. */
    private final int cap;
    /** How many of this pool's unplaced tasks are out now. Under lock. */
    private int out;
    private final boolean durable;
    private final String engine;
    private final ClusterBackend backend;
    private static final Runnable STOP = () -> { };
    private final LinkedBlockingQueue<Runnable> completions = new LinkedBlockingQueue<>();
    private final Thread completer;
    /**
     * The jobs that the outcomes the completer works through now have freed places for, or null
     * outside that; the completer's alone ({@link #act}).
     */
    private List<Job> deferred;
    private final ObjectInputFilter filter;
    /**
     * The context class loader of the thread that opened the pool, where results' classes are
     * looked up first (a single-file program's exist only there), or null.
     */
    private final ClassLoader loader;
    /** The pool whose callback the current thread runs: see {@link #isOwnWorker()}. */
    private static final ThreadLocal<ClusterPoolImpl> CALLBACK = new ThreadLocal<>();

    /** The queue, the lanes' jobs and the broken state; under lock. */
    private final RemoteDispatcher<Job> dispatcher;
    /** The lanes of the members that hold jobs or are members now, by member id. Under lock. */
    private final Map<String, MemberLane> lanes = new HashMap<>();
    /**
     * Whether tasks wait here for a place on a member, as the last dispatch left them: written under
     * lock by {@link #schedule()}, read by the engine's threads, which then leave outcomes to the
     * completer ({@link #completedHere}): with tasks streaming through, decoding in Hazelcast's
     * threads slowed them (pipelined submits fell by a third in {@code ClusterPoolBenchmark}).
     */
    private volatile boolean backlog;
    /** Whether the pool has begun to close its engine. Under lock. */
    private boolean finishing;

    private ClusterPoolImpl(ClusterPool.Configuration config, ClusterProvider provider) {
        super(config.name(), "cluster", POOL_IDS);
        this.perMember = config.workersPerMember() > 0 ? config.workersPerMember() : ThreadPoolImpl.carrierCount();
        this.cap = config.workers();
        this.inFlight = config.tasksInFlight();
        this.executorName = "weft." + name + "." + UUID.randomUUID();
        this.durable = config.durable();
        this.engine = provider.name();
        this.dispatcher = new RemoteDispatcher<>(true);
        String threadPrefix = config.name() != null ? "weft-cluster-" + name + "-" : "weft-cluster-";
        this.filter = AllowList.filter(config.allowedClasses());
        this.loader = Thread.currentThread().getContextClassLoader();
        byte[] initializer = config.initializer() == null ? null : serialize(config.initializer(), "the initializer");
        this.backend = provider.open(new ClusterProvider.Settings(config.clusterName(), config.host(), config.port(),
                config.members(), config.allowedClasses(), config.memberTimeout(), config.memberName(),
                config.durable()), new ClusterProvider.Pool(name, threadPrefix, executorName, perMember, initializer));
        this.completer = Thread.ofPlatform().name(threadPrefix + "callback").daemon().start(this::complete);
        backend.onMembershipChange(() -> completions.add(() -> act(locked(this::schedule))));
    }

    static ClusterPool create(ClusterPool.Configuration config) {
        PoolBean.checkSetting();
        return registered(new ClusterPoolImpl(config, provider()));
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
            } catch (IllegalAccessError e) {
                // Weft is a named module, the engine is not: the SPI is exported to dev.weft.hazelcast only
                throw new IllegalStateException("the cluster engine cannot be loaded: Weft is on the module path (module "
                        + "dev.weft) and the engine is on the class path, where it cannot reach Weft's engine interface. "
                        + "Put weft-hazelcast, and hazelcast, on the module path too (see Weft's guide, section 'When "
                        + "one machine is not enough: the cluster pool', on the module path): " + e, e);
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
        ClusterTasks.Running running = ClusterTasks.current();
        return running == null ? Optional.empty()
                : Optional.of(Member.of(running.memberId(), running.memberAddress(), true));
    }

    /** The worker running the calling thread's task of a cluster pool on this member, if it runs one. */
    static Optional<Pool.Worker> currentWorker() {
        ClusterTasks.Running running = ClusterTasks.current();
        return running == null ? Optional.empty() : Optional.of(Pool.Worker.of(running.pool(), running.index(),
                running.threadName(), ProcessHandle.current().pid()));
    }

    /** A member as the API shows it. */
    private static Member member(ClusterBackend.MemberInfo m) {
        return Member.of(m.id(), m.address(), m.local());
    }

    // ---- submission and dispatch --------------------------------------------------------------

    @Override
    void enqueue(PoolTask<?> task) {
        enqueue(task, null, null);
    }

    /**
     * Encodes {@code task} as a job for {@code target} or {@code key} (either may be null) and
     * queues it; a pool that is shut down or broken says so first, before the encoding, whose
     * refusal of a task would hide the pool's.
     */
    private void enqueue(PoolTask<?> task, Member target, Object key) {
        checkAccepting(dispatcher.broken());
        enqueue(new Job(task, target, key));
    }

    @Override
    public <T> TaskFuture<T> submitTo(Member member, SerializableCallable<T> task) {
        java.util.Objects.requireNonNull(member, "member");
        java.util.Objects.requireNonNull(task, "task");
        if (durable) {
            throw new UnsupportedOperationException("pool '" + name + "' runs durable tasks, which the cluster places "
                    + "by key: use submitToKeyOwner, or a pool without withDurable(true)");
        }
        if (!isMember(member.id())) {
            throw new IllegalArgumentException(member + " is not a member of pool '" + name + "''s cluster now; "
                    + "members() lists those that are");
        }
        PoolTask<T> t = new PoolTask<>(this, task, false);
        enqueue(t, member, null);
        return t;
    }

    @Override
    public <T> TaskFuture<T> submitToKeyOwner(Object key, SerializableCallable<T> task) {
        java.util.Objects.requireNonNull(key, "key");
        java.util.Objects.requireNonNull(task, "task");
        serialize(key, "a key");
        PoolTask<T> t = new PoolTask<>(this, task, false);
        enqueue(t, null, key);
        return t;
    }

    private void enqueue(Job job) {
        List<Job> send;
        lock.lock();
        try {
            checkAccepting(dispatcher.broken());
            job.task.queued();
            if (job.placed() || durable) {
                dispatcher.sendDirect(job);
                send = new ArrayList<>(List.of(job));
                send.addAll(schedule());
            } else if (dispatcher.hasPending()) {
                // Jobs wait already, so every member's window was full when they were last placed, and
                // stays so until an outcome or a change of membership places them again: this one waits too.
                dispatcher.enqueue(job);
                send = List.of();
            } else {
                dispatcher.enqueue(job);
                send = schedule();
            }
        } finally {
            lock.unlock();
        }
        act(send);
    }

    /** Under lock: places the pending jobs that have a member with room (see {@link RemoteDispatcher#place}). */
    private List<Job> schedule() {
        if (!dispatcher.hasPending()) {
            backlog = false;
            return List.of();
        }
        List<ClusterBackend.MemberInfo> members = backend.members();
        List<MemberLane> current = new ArrayList<>(members.size());
        for (ClusterBackend.MemberInfo m : members) {
            current.add(lanes.computeIfAbsent(m.id(), MemberLane::new));
        }
        if (lanes.size() > current.size()) {                // forget the lanes of members gone, once empty
            Set<String> ids = members.stream().map(ClusterBackend.MemberInfo::id).collect(Collectors.toSet());
            lanes.values().removeIf(lane -> lane.held.isEmpty() && !ids.contains(lane.memberId));
        }
        List<Job> send = dispatcher.place(current, () -> false, cap == 0 ? Integer.MAX_VALUE : cap - out);
        out += send.size();
        backlog = dispatcher.hasPending();
        return send;
    }

    /**
     * Sends {@code send}, the jobs just placed or sent directly. Jobs placed together on the same
     * member whose window has widened (tiny tasks: see {@link #batched}) go in batches; the rest one
     * by one. In the completer, while it works through the outcomes that came together, sending
     * waits until the last of them ({@link #deferred}), so that the places those outcomes free are
     * filled together.
     */
    private void act(List<Job> send) {
        if (deferred != null && Thread.currentThread() == completer) {
            deferred.addAll(send);
            return;
        }
        Map<MemberLane, List<Job>> batches = null;
        for (Job job : send) {
            if (!job.task.tryMarkRunning()) {          // cancelled before it left
                settle(job);
            } else if (batched(job)) {
                if (batches == null) {
                    batches = new LinkedHashMap<>();
                }
                batches.computeIfAbsent((MemberLane) job.lane, lane -> new ArrayList<>()).add(job);
            } else {
                sendOne(job);
            }
        }
        if (batches != null) {
            batches.forEach(this::sendBatches);
        }
        finishIfDone();
    }

    /**
     * Whether {@code job} may travel in a batch: the pool placed it (no target or key of the
     * caller's, not durable) on a member whose window has widened, which it does only while that
     * member's tasks end without waiting there: tiny tasks, which lose nothing by running one after
     * another in one of the member's workers.
     */
    private boolean batched(Job job) {
        return !durable && !job.placed() && job.lane instanceof MemberLane lane && lane.adaptive != null
                && lane.adaptive.size() > LEAST_PER_WORKER * perMember;
    }

    private void sendOne(Job job) {
        ClusterBackend.MemberInfo target = job.target == null ? null
                : new ClusterBackend.MemberInfo(job.target.id(), job.target.address(), job.target.local());
        if (target == null && job.lane instanceof MemberLane lane) {
            target = present(lane.memberId);
        }
        try {
            job.sent = backend.send(job.payload, target, job.key, completion(job));
        } catch (RuntimeException e) {
            job.task.completeExceptionally(e);
            settle(job);
            return;
        }
        if (job.task.isCancelled()) {           // cancelled while it was being sent
            job.sent.cancel(true);
        }
    }

    /** Sends {@code jobs}, placed on {@code lane}, in batches of at most {@link #BATCH} (one alone as it is). */
    private void sendBatches(MemberLane lane, List<Job> jobs) {
        ClusterBackend.MemberInfo target = present(lane.memberId);
        for (int from = 0; from < jobs.size(); from += BATCH) {
            List<Job> batch = jobs.subList(from, Math.min(jobs.size(), from + BATCH));
            if (batch.size() == 1 || target == null) {
                batch.forEach(this::sendOne);
                continue;
            }
            List<byte[]> payloads = new ArrayList<>(batch.size());
            List<ClusterBackend.Completion> completions = new ArrayList<>(batch.size());
            for (Job job : batch) {
                payloads.add(job.payload);
                completions.add(completion(job));
            }
            List<ClusterBackend.Sent> sent;
            try {
                sent = backend.sendAll(payloads, target, completions);
            } catch (RuntimeException e) {
                for (Job job : batch) {
                    job.task.completeExceptionally(e);
                    settle(job);
                }
                continue;
            }
            for (int i = 0; i < batch.size(); i++) {
                Job job = batch.get(i);
                job.sent = sent.get(i);
                if (job.task.isCancelled()) {       // cancelled while it was being sent
                    job.sent.cancel(true);
                }
            }
        }
    }

    /** The most tasks a batch carries: a member reads at most 64 ({@code Batches.MOST} in the engine). */
    static final int BATCH = 32;

    /** The member {@code id} if it is in the cluster now, else null. */
    private ClusterBackend.MemberInfo present(String id) {
        for (ClusterBackend.MemberInfo m : backend.members()) {
            if (m.id().equals(id)) {
                return m;
            }
        }
        return null;
    }

    /**
     * The outcome of {@code job}, handed from the engine's thread (where Hazelcast forbids remote
     * calls, so no callback and no next send may run there) to the pool's completer thread,
     * {@code weft-cluster-POOL-callback}, which decodes it, completes the future and so runs its
     * callbacks, and sends what waited for the place it frees; except a small result while no task
     * waits here, which the engine's thread completes itself ({@link #completedHere}).
     */
    private ClusterBackend.Completion completion(Job job) {
        return new ClusterBackend.Completion() {
            @Override
            public void succeeded(byte[] outcome) {
                if (!completedHere(job, outcome)) {
                    completions.add(() -> decode(job, outcome));
                }
            }

            @Override
            public void failed(Throwable failure) {
                completions.add(() -> fail(job, failure));
            }

            @Override
            public void memberLost(String why, ClusterBackend.MemberInfo member, Throwable cause) {
                failed(new MemberLostException(why, member == null ? null : member(member), cause));
            }
        };
    }

    /**
     * The completer thread's loop: runs what {@link #completion} hands it, until {@link #STOP}. It
     * takes what has come in together (up to {@link #DRAINED} at a time) and sends the jobs that
     * those free after the last of them ({@link #deferred}).
     */
    private void complete() {
        CALLBACK.set(this);
        List<Runnable> drained = new ArrayList<>(DRAINED);
        for (;;) {
            try {
                drained.add(completions.take());
            } catch (InterruptedException e) {
                continue;               // only STOP ends it: an outcome may still be on its way
            }
            completions.drainTo(drained, DRAINED - 1);
            boolean stop = false;
            deferred = new ArrayList<>();
            try {
                for (Runnable next : drained) {
                    if (next == STOP) {
                        stop = true;
                        break;
                    }
                    try {
                        next.run();
                    } catch (RuntimeException | Error e) {
                        Logs.pool().error("pool '{}' failed to complete a task's future", name, e);
                    }
                }
            } finally {
                List<Job> send = deferred;
                deferred = null;
                drained.clear();
                try {
                    if (!send.isEmpty()) {
                        // Their members' windows measure the wait there, not the time these waited for the batch.
                        locked(() -> {
                            long now = System.nanoTime();
                            send.forEach(job -> job.placedNanos = now);
                            return null;
                        });
                    }
                    act(send);                      // and, with nothing to send, finishes a pool that is done
                } catch (RuntimeException | Error e) {
                    Logs.pool().error("pool '{}' failed to send tasks", name, e);
                }
            }
            if (stop) {
                return;
            }
        }
    }

    /** The most outcomes the completer takes at once. */
    private static final int DRAINED = 64;

    /**
     * The engine's thread, with the outcome of {@code job}: if it is a small result and no task
     * waits here ({@link #backlog}), decodes it and completes the future here, so that a caller
     * blocked in {@code get()} wakes without a second hand-off; the future's listeners and
     * callbacks, and any task this frees a place for, go to the completer thread, since none may
     * run here. Returns false, having done nothing, for anything else (tasks waiting, an exception,
     * a stand-in, a large or undecodable result), which the completer decodes.
     */
    private boolean completedHere(Job job, byte[] sent) {
        if (backlog || sent.length > INLINE_OUTCOME_BYTES) {
            return false;
        }
        Object value;
        try {
            ClusterTasks.Outcome outcome = ClusterTasks.Outcome.decode(sent);
            if (outcome.kind() != ClusterTasks.RESULT || outcome.standIn()) {
                return false;
            }
            value = value(outcome);
        } catch (IOException | RuntimeException e) {
            return false;
        }
        if (value instanceof RemoteOutcomes.Undecodable) {
            return false;
        }
        job.answered = true;
        completeHandingOff(job.task, value, completions::add);
        List<Job> send = release(job);
        if (send.isEmpty()) {
            finishIfDone();
        } else {
            completions.add(() -> act(send));
        }
        return true;
    }

    /** The largest outcome the engine's thread decodes itself ({@link #completedHere}). */
    private static final int INLINE_OUTCOME_BYTES = 1024;

    @SuppressWarnings("unchecked")
    private static <T> void completeHandingOff(PoolTask<T> task, Object result, Executor elsewhere) {
        task.completeHandingOff((T) result, elsewhere);
    }

    /**
     * What {@code outcome} carries: its stand-in's exception, or its payload read through the pool's
     * allow-list and its opener's class loader; a {@link RemoteOutcomes.Undecodable} if it cannot be read.
     */
    private Object value(ClusterTasks.Outcome outcome) {
        return outcome.standIn()
                ? RemoteOutcomes.decode(bytes -> standIn(outcome), outcome.payload(), outcome.where(), name, true)
                : RemoteOutcomes.decode(bytes -> AllowList.deserialize(bytes, filter, loader), outcome.payload(),
                        outcome.where(), name, outcome.kind() != ClusterTasks.RESULT);
    }

    /** What the member sent: a result, the task's exception, or the initializer's; see {@link ClusterTasks}. */
    private void decode(Job job, byte[] sent) {
        job.answered = true;
        ClusterTasks.Outcome outcome;
        try {
            outcome = ClusterTasks.Outcome.decode(sent);
        } catch (IOException | RuntimeException e) {
            fail(job, new IllegalStateException("a member of pool '" + name + "''s cluster returned what is not a "
                    + "task's outcome: is every member on the same Weft version?", e));
            return;
        }
        Object value = value(outcome);
        if (value instanceof RemoteOutcomes.Undecodable u) {
            fail(job, u.exception());
            return;
        }
        switch (outcome.kind()) {
            case ClusterTasks.RESULT -> {
                complete(job.task, value);
                settle(job);
            }
            case ClusterTasks.INITIALIZER_FAILED -> {
                Throwable t = (Throwable) value;
                breakPool(new BrokenPoolException("pool '" + name + "' is broken: its initializer threw on "
                        + outcome.where() + ": " + t, t));
                fail(job, dispatcher.broken());
            }
            default -> fail(job, (Throwable) value);
        }
    }

    /** The exception a member sent as the stand-in of an outcome it could not serialize. */
    private static RemoteTaskException standIn(ClusterTasks.Outcome outcome) throws IOException {
        return RemoteTaskException.of(outcome.readStandIn());
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
        act(release(job));
    }

    /** The job has ended: frees its place (and lets its member's window learn from it); returns what may be sent now. */
    private List<Job> release(Job job) {
        return locked(() -> {
            if (job.answered && job.lane instanceof MemberLane lane && lane.adaptive != null
                    && lane.held.containsKey(job.id)) {
                lane.adaptive.ended(System.nanoTime() - job.placedNanos);
            }
            if (dispatcher.release(job) && job.lane != null) {
                out--;
            }
            return schedule();
        });
    }

    /** Breaks the pool (once), shuts it down, and fails the pending jobs with its error. */
    private void breakPool(BrokenPoolException why) {
        List<Job> drained = locked(() -> dispatcher.breakWith(why));
        advance(SHUTDOWN, List.<Job>of(), false);
        for (Job job : drained) {
            job.task.completeExceptionally(dispatcher.broken());
        }
        finishIfDone();
    }

    @Override
    boolean cancelRemotely(PoolTask<?> task, boolean mayInterruptIfRunning) {
        Job job = dispatcher.out(task);
        ClusterBackend.Sent sent = job != null ? job.sent : null;
        if (sent != null) {
            sent.cancel(mayInterruptIfRunning);
        } else if (job == null && locked(() -> dispatcher.removePending(task))) {
            act(locked(this::schedule));
        }
        return true;
    }

    /**
     * The bytes of a stateless task, per class: every instance of such a class (a lambda that
     * captures nothing, a record without components; see {@link SharedFunctions#isStateless}) is the
     * same task and serializes to the same bytes, so they are made once. A member reads such bytes
     * once too ({@link ClusterTasks}). The value holds only bytes, so the class can still be unloaded.
     */
    private static final ClassValue<AtomicReference<byte[]>> STATELESS = new ClassValue<>() {
        @Override
        protected AtomicReference<byte[]> computeValue(Class<?> type) {
            return new AtomicReference<>();
        }
    };

    /** The task by Java serialization: see {@link #serialize}; once per class for a stateless one. */
    private static byte[] taskBytes(Object task) {
        if (!SharedFunctions.isStateless(task)) {
            return serialize(task, "a task");
        }
        AtomicReference<byte[]> known = STATELESS.get(task.getClass());
        byte[] bytes = known.get();
        if (bytes == null) {
            bytes = serialize(task, "a task");
            known.set(bytes);
        }
        return bytes;
    }

    /** {@code value} by Java serialization, or an exception at the call that was given it, naming the class. */
    private static byte[] serialize(Object value, String what) {
        try {
            return AllowList.serialize(value);
        } catch (NotSerializableException e) {
            throw new IllegalArgumentException(what + " given to a cluster pool cannot be sent to a member: "
                    + RemoteOutcomes.notSerializable(e.getMessage(), "ClusterPool"), e);
        } catch (IOException e) {
            throw new IllegalArgumentException(what + " given to a cluster pool cannot be serialized: " + e, e);
        }
    }

    // ---- life cycle -------------------------------------------------------------------------------

    @Override
    boolean isOwnWorker() {
        ClusterTasks.Running running;
        return CALLBACK.get() == this
                || (running = ClusterTasks.current()) != null && executorName.equals(running.executorName());
    }

    @Override
    public void shutdown() {
        advance(SHUTDOWN, dispatcher.pending(), false);
        finishIfDone();
    }

    @Override
    public void shutdown(boolean wait, boolean cancelFutures) throws InterruptedException {
        for (Job job : advance(SHUTDOWN, dispatcher.pending(), cancelFutures)) {
            job.task.cancel(false);
        }
        finishIfDone();
        if (wait) {
            awaitTerminated();
        }
    }

    @Override
    public List<Runnable> shutdownNow() {
        List<Job> drained = advance(TERMINATED, dispatcher.pending(), true);
        List<Runnable> never = new ArrayList<>();
        for (Job job : drained) {
            job.task.cancel(false);
            never.add(job.task);
        }
        for (Job job : dispatcher.outJobs()) {
            job.task.cancel(true);
        }
        finishIfDone();
        return never;
    }

    /** Once shut down with no job left: stops the member in a thread of its own, then terminates. */
    private void finishIfDone() {
        boolean finish = locked(() -> {
            if (state == RUNNING || !dispatcher.isIdle() || finishing) {
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
                    Threads.joinUninterruptibly(completer);
                    completeTermination();
                }
            });
        }
    }


    /** The map family reporting progress, with the serializable overloads that a remote pool's calls need. */
    @Override
    public RemoteMapper withProgress(Duration interval, Progress.Listener listener) {
        return new PoolMaps.Remote(this, MapProgress.settings(interval, listener));
    }

    @Override
    public int workers() {
        return cap > 0 ? cap : Math.max(1, backend.members().size()) * perMember;
    }

    /** Its {@link #workers()}: a member's workers are not this JVM's to count. */
    @Override
    int liveWorkers() {
        return workers();
    }

    @Override
    boolean isBroken() {
        return dispatcher.broken() != null;
    }

    @Override
    public List<Member> members() {
        return backend.members().stream().map(ClusterPoolImpl::member).toList();
    }

    @Override
    public Member localMember() {
        return member(backend.localMember());
    }

    private boolean isMember(String id) {
        return present(id) != null;
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
                + (dispatcher.broken() != null ? "broken" : isTerminated() ? "terminated" : state == RUNNING ? "running" : "shut down")
                + "]";
    }
}
