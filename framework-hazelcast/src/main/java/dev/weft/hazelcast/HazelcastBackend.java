package dev.weft.hazelcast;

import com.hazelcast.cluster.Address;
import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.DurableExecutorConfig;
import com.hazelcast.config.ExecutorConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.core.MemberLeftException;
import com.hazelcast.durableexecutor.DurableExecutorService;
import com.hazelcast.executor.impl.DistributedExecutorService;
import com.hazelcast.executor.impl.operations.CallableTaskOperation;
import com.hazelcast.executor.impl.operations.CancellationOperation;
import com.hazelcast.executor.impl.operations.MemberCallableTaskOperation;
import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.util.UuidUtil;
import com.hazelcast.spi.exception.TargetNotMemberException;
import com.hazelcast.spi.impl.AbstractDistributedObject;
import com.hazelcast.spi.impl.DelegatingCompletableFuture;
import com.hazelcast.spi.impl.NodeEngine;
import com.hazelcast.spi.impl.operationservice.InvocationBuilder;
import com.hazelcast.spi.impl.operationservice.OperationService;
import com.hazelcast.spi.impl.operationservice.impl.InvocationFuture;
import dev.weft.spi.ClusterBackend;
import dev.weft.spi.ClusterProvider;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

/** One pool's executor on its Hazelcast member. */
final class HazelcastBackend implements ClusterBackend {
    /** How often, and how far apart, a cancellation is tried: as {@code IExecutorService}'s own future does. */
    private static final int CANCEL_TRIES = 50;
    private static final long CANCEL_PAUSE_MILLIS = 250;
    /**
     * How often, and how far apart, a cancellation is sent again while the member does not hold the
     * task yet and its answer has not come: about two seconds in all.
     */
    private static final int NOT_FOUND_TRIES = 100;
    private static final long NOT_FOUND_PAUSE_MILLIS = 20;
    private static final String SERVICE = DistributedExecutorService.SERVICE_NAME;

    private final HazelcastInstance member;
    private final boolean owned;
    private final ClusterProvider.Pool pool;
    private final boolean durable;
    private final IExecutorService executor;
    /** The member's engine, through which tasks are invoked; null for the durable executor. */
    private final NodeEngine engine;
    private final DurableExecutorService durableExecutor;
    private final ClusterBackend.MemberInfo local;
    /** The members as last read, or null: replaced whenever Hazelcast's member set is another object. */
    private volatile Members members;
    private UUID listener;

    /**
     * Hazelcast's set of members, which it replaces (never changes) when membership changes, and
     * what this backend made of it: the pool asks for the members on every dispatch.
     */
    private record Members(Set<Member> source, List<ClusterBackend.MemberInfo> infos, Map<String, Member> byId,
                           Set<String> readBatches) {
        static Members of(Set<Member> source) {
            List<ClusterBackend.MemberInfo> infos = new ArrayList<>(source.size());
            Map<String, Member> byId = new HashMap<>();
            Set<String> readBatches = new HashSet<>();
            for (Member m : source) {
                if (!m.isLiteMember()) {
                    ClusterBackend.MemberInfo info = toWeft(m);
                    infos.add(info);
                    byId.put(info.id(), m);
                    if (m.getAttribute(MemberConfig.BATCHES) != null) {
                        readBatches.add(info.id());
                    }
                }
            }
            return new Members(source, List.copyOf(infos), Map.copyOf(byId), Set.copyOf(readBatches));
        }
    }

    HazelcastBackend(HazelcastInstance member, boolean owned, boolean durable, ClusterProvider.Pool pool) {
        this.member = member;
        this.owned = owned;
        this.pool = pool;
        this.durable = durable;
        this.local = toWeft(member.getCluster().getLocalMember());
        if (durable) {
            member.getConfig().addDurableExecutorConfig(new DurableExecutorConfig(pool.executorName())
                    .setPoolSize(pool.workersPerMember()).setDurability(1).setStatisticsEnabled(false));
            this.durableExecutor = member.getDurableExecutorService(pool.executorName());
            this.executor = null;
            this.engine = null;
        } else {
            member.getConfig().addExecutorConfig(new ExecutorConfig(pool.executorName())
                    .setPoolSize(pool.workersPerMember()).setStatisticsEnabled(false));
            this.executor = member.getExecutorService(pool.executorName());
            this.engine = ((AbstractDistributedObject<?>) executor).getNodeEngine();
            this.durableExecutor = null;
        }
    }

    static ClusterBackend.MemberInfo toWeft(Member m) {
        return new ClusterBackend.MemberInfo(m.getUuid().toString(), address(m), m.localMember());
    }

    /** A member's host and port, as messages show it. */
    static String address(Member m) {
        return m.getAddress().getHost() + ":" + m.getAddress().getPort();
    }

    /** The members now; none once this JVM's member has stopped (the pool's close, or a shutdown). */
    @Override
    public List<ClusterBackend.MemberInfo> members() {
        try {
            return of(member.getCluster().getMembers()).infos();
        } catch (HazelcastInstanceNotActiveException e) {
            return List.of();
        }
    }

    /** What this backend makes of Hazelcast's member set {@code source}, made again only when that set is replaced. */
    private Members of(Set<Member> source) {
        Members known = members;
        if (known == null || known.source() != source) {
            known = Members.of(source);
            members = known;
        }
        return known;
    }

    @Override
    public ClusterBackend.MemberInfo localMember() {
        return local;
    }

    @Override
    public Sent send(byte[] task, ClusterBackend.MemberInfo target, Object key, Completion completion) {
        RemoteCall call = new RemoteCall(pool.name(), pool.threadPrefix(), pool.executorName(), pool.initializer(), task);
        if (durable) {
            Future<byte[]> future = key != null ? durableExecutor.submitToKeyOwner(call, key) : durableExecutor.submit(call);
            whenDone(whenDone(future), future, completion, target);
            return future::cancel;
        }
        if (target == null) {
            int partition = key != null ? engine.getPartitionService().getPartitionId(key)
                    : ThreadLocalRandom.current().nextInt(engine.getPartitionService().getPartitionCount());
            return invoke(call, null, partition, completion, null);
        }
        Member to = find(target);
        if (to == null) {
            completion.memberLost("member " + target.address() + " left before pool executor '"
                    + pool.executorName() + "' could send it a task", target, null);
            return mayInterrupt -> false;
        }
        return invoke(call, to.getAddress(), -1, completion, target);
    }

    /**
     * Sends {@code call} to the member at {@code address}, or else to the owner of {@code partition},
     * as {@code IExecutorService}'s {@code submitToMember}, {@code submitToKeyOwner} and
     * {@code submit} do (the same operations, under a fresh id, on the same executor), but waits on
     * the invocation itself. The future those methods return registers an action in Hazelcast's
     * default async executor on every call, which, where the JDK's common pool has a parallelism of
     * 1 (2 CPUs), starts a new thread per task whether anyone waits on that future or not. A
     * cancellation is the operation the executor's own future sends, tried as often, and, like it,
     * waits for the member's answer.
     */
    private Sent invoke(RemoteCall call, Address address, int partition, Completion completion,
                        ClusterBackend.MemberInfo target) {
        if (executor.isShutdown()) {
            throw new RejectedExecutionException("pool executor '" + pool.executorName() + "' is shut down");
        }
        OperationService operations = engine.getOperationService();
        UUID id = UuidUtil.newUnsecureUUID();
        Data task = engine.toData(call);
        InvocationFuture<byte[]> invocation = address != null
                ? operations.invokeOnTarget(SERVICE, new MemberCallableTaskOperation(pool.executorName(), id, task), address)
                : operations.invokeOnPartition(SERVICE, new CallableTaskOperation(pool.executorName(), id, task), partition);
        whenDone(invocation, invocation, completion, target);
        return mayInterrupt -> cancelWhileOut(invocation, () -> {
            CancellationOperation cancel = new CancellationOperation(id, mayInterrupt);
            return address != null ? operations.createInvocationBuilder(SERVICE, cancel, address)
                    : operations.createInvocationBuilder(SERVICE, cancel, partition);
        }, found -> (Boolean) found ? Boolean.TRUE : null);
    }

    /**
     * Sends the cancellation that {@code attempt} builds, as {@code IExecutorService}'s own future
     * does, until {@code verdict} makes something of the member's answer (true: cancelled; false: it
     * ran, or runs and may not be interrupted) or {@code invocation}, the task's, is done. A verdict
     * of null means that the member holds no such task: it has ended, and its answer is on the way,
     * or it has not arrived yet (the member may run the task's operation after this one, in another
     * of its threads); then this waits a little for the task's answer and, if none comes, tries
     * again, at most {@link #NOT_FOUND_TRIES} times.
     */
    private static boolean cancelWhileOut(InvocationFuture<?> invocation, Supplier<InvocationBuilder> attempt,
                                          Function<Object, Boolean> verdict) {
        for (int tries = 1; !invocation.isDone(); tries++) {
            try {
                Boolean found = verdict.apply(attempt.get().setTryCount(CANCEL_TRIES)
                        .setTryPauseMillis(CANCEL_PAUSE_MILLIS).invoke().get());
                if (found != null) {
                    return found;
                }
                if (tries == NOT_FOUND_TRIES) {
                    return false;
                }
                invocation.get(NOT_FOUND_PAUSE_MILLIS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // not answered yet: try again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (ExecutionException | CancellationException e) {
                return false;       // the member left, or the task ended: it ends as it ends
            }
        }
        return false;
    }

    /**
     * Sends {@code tasks} to {@code target} in one operation, a batch ({@link RemoteCall}), if it is a
     * member that reads batches; else each alone. A batch's answer holds each task's outcome; a
     * failure of the whole (the member left, the executor was destroyed) is each task's. Each
     * task is cancelled alone ({@link Batches}).
     */
    @Override
    public List<Sent> sendAll(List<byte[]> tasks, ClusterBackend.MemberInfo target, List<Completion> completions) {
        Members now = of(member.getCluster().getMembers());
        Member to = now.byId().get(target.id());
        if (durable || tasks.size() < 2 || to == null || !now.readBatches().contains(target.id())) {
            return ClusterBackend.super.sendAll(tasks, target, completions);
        }
        if (executor.isShutdown()) {
            throw new RejectedExecutionException("pool executor '" + pool.executorName() + "' is shut down");
        }
        UUID batch = UuidUtil.newUnsecureUUID();
        RemoteCall call = new RemoteCall(pool.name(), pool.threadPrefix(), pool.executorName(), pool.initializer(),
                batch, tasks);
        OperationService operations = engine.getOperationService();
        Address address = to.getAddress();
        InvocationFuture<byte[]> invocation = operations.invokeOnTarget(SERVICE,
                new MemberCallableTaskOperation(pool.executorName(), UuidUtil.newUnsecureUUID(), engine.toData(call)),
                address);
        int n = tasks.size();
        invocation.whenCompleteAsync((raw, failure) -> {
            byte[][] outcomes = null;
            Throwable error = failure;
            if (error == null) {
                try {
                    outcomes = RemoteCall.outcomes(invocation.get(), n);
                } catch (ExecutionException | RuntimeException e) {
                    error = e;
                } catch (InterruptedException e) {
                    throw new AssertionError("a done future does not wait", e);
                }
            }
            for (int i = 0; i < n; i++) {
                if (error != null) {
                    fail(completions.get(i), error, target);
                } else if (outcomes[i] == null) {
                    completions.get(i).failed(new CancellationException("cancelled before it ran"));
                } else {
                    completions.get(i).succeeded(outcomes[i]);
                }
            }
        }, Runnable::run);
        List<Sent> sent = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int index = i;
            sent.add(mayInterrupt -> cancelInBatch(operations, address, invocation, batch, index, mayInterrupt));
        }
        return sent;
    }

    /** Asks the member at {@code address} to cancel task {@code index} of {@code batch} (see {@link #cancelWhileOut}). */
    private static boolean cancelInBatch(OperationService operations, Address address, InvocationFuture<byte[]> invocation,
                                         UUID batch, int index, boolean mayInterrupt) {
        return cancelWhileOut(invocation, () -> operations.createInvocationBuilder(SERVICE,
                new Batches.Cancel(batch, index, mayInterrupt), address),
                found -> (int) found == Batches.NOT_FOUND ? null : (int) found == Batches.CANCELLED);
    }

    /**
     * Hands {@code future}'s outcome to {@code completion} in the thread that completes {@code stage}
     * (see {@link #whenDone(Future)}).
     */
    private void whenDone(CompletionStage<?> stage, Future<byte[]> future, Completion completion,
                          ClusterBackend.MemberInfo target) {
        stage.whenCompleteAsync((raw, failure) -> {
            if (failure != null) {
                fail(completion, failure, target);
                return;
            }
            byte[] outcome;
            try {
                outcome = future.get();             // done: this only reads the response
            } catch (ExecutionException | RuntimeException e) {
                fail(completion, e, target);
                return;
            } catch (InterruptedException e) {
                throw new AssertionError("a done future does not wait", e);
            }
            completion.succeeded(outcome);
        }, Runnable::run);
    }

    /**
     * The stage to wait on for {@code future}: its delegate, the invocation itself, which completes
     * in Hazelcast's response thread (or the executor's, for this JVM's member); the action then
     * runs in that thread ({@code Runnable::run}). Hazelcast runs even a plain {@code whenComplete}
     * in its default async executor, which is the JDK's common pool, or, where that has a
     * parallelism of 1 (2 CPUs), a new unnamed thread per completion: a thread start per task,
     * most of a round trip.
     */
    private static CompletionStage<?> whenDone(Future<?> future) {
        if (future instanceof DelegatingCompletableFuture<?> delegating
                && delegating.getDelegate() instanceof CompletionStage<?> invocation) {
            return invocation;
        }
        return (CompletionStage<?>) future;
    }

    private Member find(ClusterBackend.MemberInfo target) {
        return of(member.getCluster().getMembers()).byId().get(target.id());
    }

    /** Reports the task's own exception as it threw it, and a member's loss as that. */
    private void fail(Completion completion, Throwable failure, ClusterBackend.MemberInfo target) {
        Throwable e = failure;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof MemberLeftException left) {
            ClusterBackend.MemberInfo lost = left.getMember() != null ? toWeft(left.getMember()) : target;
            completion.memberLost("member " + (lost != null ? lost.address() : "?") + " left the cluster while "
                    + "it held a task of pool executor '" + pool.executorName() + "'", lost, e);
        } else if (e instanceof TargetNotMemberException) {
            completion.memberLost("the member chosen for a task of pool executor '" + pool.executorName()
                    + "' left the cluster before the task reached it", target, e);
        } else if (e instanceof HazelcastInstanceNotActiveException) {
            completion.memberLost("this JVM's member stopped while a task of pool executor '" + pool.executorName()
                    + "' was out", local, e);
        } else {
            completion.failed(e);
        }
    }


    @Override
    public void onMembershipChange(Runnable listener) {
        this.listener = member.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
                listener.run();
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                listener.run();
            }
        });
    }

    @Override
    public <T> T unwrap(Class<T> type) {
        return type.isInstance(member) ? type.cast(member) : null;
    }

    @Override
    public void close() {
        if (!member.getLifecycleService().isRunning()) {
            return;
        }
        if (listener != null) {
            member.getCluster().removeMembershipListener(listener);
        }
        if (durable) {
            durableExecutor.shutdown();
            durableExecutor.destroy();
        } else {
            executor.shutdown();
            executor.destroy();
        }
        if (owned) {
            member.shutdown();
        }
    }
}
