package dev.weft.hazelcast;

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
import com.hazelcast.spi.exception.TargetNotMemberException;
import dev.weft.ClusterPool;
import dev.weft.MemberLostException;
import dev.weft.SerializableRunnable;
import dev.weft.spi.ClusterBackend;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** One pool's executor on its Hazelcast member. */
final class HazelcastBackend implements ClusterBackend {
    private final HazelcastInstance member;
    private final boolean owned;
    private final String poolName;
    private final String threadPrefix;
    private final String executorName;
    private final SerializableRunnable initializer;
    private final boolean durable;
    private final IExecutorService executor;
    private final DurableExecutorService durableExecutor;
    private UUID listener;

    HazelcastBackend(HazelcastInstance member, boolean owned, ClusterPool.Configuration configuration,
                     String poolName, String threadPrefix, String executorName, int workersPerMember) {
        this.poolName = poolName;
        this.threadPrefix = threadPrefix;
        this.member = member;
        this.owned = owned;
        this.executorName = executorName;
        this.initializer = configuration.initializer();
        this.durable = configuration.durable();
        if (durable) {
            member.getConfig().addDurableExecutorConfig(new DurableExecutorConfig(executorName)
                    .setPoolSize(workersPerMember).setDurability(1).setStatisticsEnabled(false));
            this.durableExecutor = member.getDurableExecutorService(executorName);
            this.executor = null;
        } else {
            member.getConfig().addExecutorConfig(new ExecutorConfig(executorName)
                    .setPoolSize(workersPerMember).setStatisticsEnabled(false));
            this.executor = member.getExecutorService(executorName);
            this.durableExecutor = null;
        }
    }

    static ClusterPool.Member toWeft(Member m) {
        return new ClusterPool.Member(m.getUuid().toString(), m.getAddress().getHost() + ":" + m.getAddress().getPort(),
                m.localMember());
    }

    @Override
    public List<ClusterPool.Member> members() {
        return member.getCluster().getMembers().stream().filter(m -> !m.isLiteMember()).map(HazelcastBackend::toWeft)
                .toList();
    }

    @Override
    public ClusterPool.Member localMember() {
        return toWeft(member.getCluster().getLocalMember());
    }

    @Override
    public Sent send(Callable<?> task, ClusterPool.Member target, Object key, Completion completion) {
        Callable<Object> call = new RemoteCall(poolName, threadPrefix, executorName, initializer, task);
        Future<Object> future;
        if (durable) {
            future = key != null ? durableExecutor.submitToKeyOwner(call, key) : durableExecutor.submit(call);
        } else if (target != null) {
            Member to = find(target);
            if (to == null) {
                completion.failed(new MemberLostException("member " + target.address() + " left before pool executor '"
                        + executorName + "' could send it a task", target, null));
                return mayInterrupt -> false;
            }
            future = executor.submitToMember(call, to);
        } else if (key != null) {
            future = executor.submitToKeyOwner(call, key);
        } else {
            future = executor.submit(call);
        }
        ((CompletionStage<Object>) future).whenComplete((result, failure) -> {
            if (failure == null) {
                completion.succeeded(result);
            } else {
                completion.failed(translate(failure, target));
            }
        });
        return future::cancel;
    }

    private Member find(ClusterPool.Member target) {
        for (Member m : member.getCluster().getMembers()) {
            if (m.getUuid().toString().equals(target.id())) {
                return m;
            }
        }
        return null;
    }

    /** The task's own exception as it threw it; a member's loss as Weft's exception. */
    private Throwable translate(Throwable failure, ClusterPool.Member target) {
        Throwable e = failure;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof MemberLeftException left) {
            ClusterPool.Member lost = left.getMember() != null ? toWeft(left.getMember()) : target;
            return new MemberLostException("member " + (lost != null ? lost.address() : "?") + " left the cluster while "
                    + "it held a task of pool executor '" + executorName + "'", lost, e);
        }
        if (e instanceof TargetNotMemberException) {
            return new MemberLostException("the member chosen for a task of pool executor '" + executorName
                    + "' left the cluster before the task reached it", target, e);
        }
        if (e instanceof HazelcastInstanceNotActiveException) {
            return new MemberLostException("this JVM's member stopped while a task of pool executor '" + executorName
                    + "' was out", localOrNull(), e);
        }
        return e;
    }

    private ClusterPool.Member localOrNull() {
        try {
            return localMember();
        } catch (RuntimeException e) {
            return null;
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
