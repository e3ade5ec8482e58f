package dev.weft.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.internal.util.ConcurrencyUtil;
import dev.weft.ClusterPool;
import dev.weft.Pool;
import dev.weft.RemoteTaskException;
import dev.weft.SerializableCallable;
import dev.weft.TaskFuture;
import dev.weft.TaskScope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.example.Outsider;
import org.junit.jupiter.api.Test;

/** What only a cluster pool does: members, placement, the allow-list, and its member's life. */
class ClusterPoolTest {
    private static final long LIMIT = 30;

    /** Tasks spread over the three members; each knows its member and runs in a thread named after the pool. */
    @Test
    void tasksRunOnEveryMemberInThreadsNamedAfterThePool() throws Exception {
        try (ClusterPool pool = TestCluster.pool(c -> c.withName("spread").withWorkersPerMember(2))) {
            assertThat(pool.members()).hasSize(3).filteredOn(ClusterPool.Member::local).containsExactly(pool.localMember());
            assertThat(pool.workers()).isEqualTo(6);
            List<String> ran = pool.map((Integer i) -> ClusterPool.currentMember().orElseThrow().address() + " "
                    + Thread.currentThread().getName() + " " + Pool.currentWorker().orElseThrow().threadName(),
                    IntStream.range(0, 60).boxed().toList(), 1);
            Set<String> members = ran.stream().map(s -> s.split(" ")[0]).collect(Collectors.toSet());
            assertThat(members).containsExactlyInAnyOrderElementsOf(
                    pool.members().stream().map(ClusterPool.Member::address).toList());
            assertThat(ran).allSatisfy(s -> {
                String[] parts = s.split(" ");
                assertThat(parts[1]).matches("weft-cluster-spread-\\d+").isEqualTo(parts[2]);
            });
        }
        assertThat(ClusterPool.currentMember()).isEmpty();
    }

    /** submitTo runs on the member given; submitToKeyOwner on the owner of the key's partition. */
    @Test
    void placementByMemberAndByKey() throws Exception {
        HazelcastInstance hz = TestCluster.members().get(0).hazelcast();
        try (ClusterPool pool = TestCluster.pool(c -> c)) {
            for (ClusterPool.Member m : pool.members()) {
                assertThat(pool.submitTo(m, () -> ClusterPool.currentMember().orElseThrow().id())
                        .get(LIMIT, TimeUnit.SECONDS)).isEqualTo(m.id());
            }
            for (int key = 0; key < 20; key++) {
                String owner = hz.getPartitionService().getPartition(key).getOwner().getUuid().toString();
                assertThat(pool.submitToKeyOwner(key, () -> ClusterPool.currentMember().orElseThrow().id())
                        .get(LIMIT, TimeUnit.SECONDS)).isEqualTo(owner);
            }
            ClusterPool.Member stranger = ClusterPool.Member.of("no-such-id", "10.9.9.9:5701", false);
            assertThatThrownBy(() -> pool.submitTo(stranger, () -> 1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is not a member").hasMessageContaining("members()");
            assertThatThrownBy(() -> pool.submitToKeyOwner(new Object(), () -> 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java.lang.Object");
        }
    }

    /** A task that cannot be serialized is refused at the call, naming the class; the pool goes on. */
    @Test
    void unserializableTaskIsRefusedAtTheCall() throws Exception {
        Object notSerializable = new Object();
        try (ClusterPool pool = TestCluster.pool(c -> c)) {
            assertThatThrownBy(() -> pool.submit(() -> notSerializable.hashCode()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java.lang.Object")
                    .hasMessageContaining("not serializable");
            assertThat(pool.submit(() -> 6 * 7).get(LIMIT, TimeUnit.SECONDS)).isEqualTo(42);
        }
    }

    /**
     * The allow-list: a result of a class outside it fails its own future and the pool goes on; a
     * member configured to allow the class passes it.
     */
    @Test
    void classesOutsideTheAllowListAreRefused() throws Exception {
        try (ClusterPool pool = TestCluster.pool(c -> c)) {
            SerializableCallable<Outsider> outsider = () -> new Outsider(7);
            // From another member: the local one hands a result over without serializing it.
            ClusterPool.Member other = pool.members().stream().filter(m -> !m.local()).findFirst().orElseThrow();
            TaskFuture<Outsider> refused = pool.submitTo(other, outsider);
            assertThatThrownBy(() -> refused.get(LIMIT, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .rootCause().hasMessageContaining("org.example.Outsider");
            assertThat(pool.submit(() -> 1).get(LIMIT, TimeUnit.SECONDS)).isEqualTo(1);
        }
        try (ClusterPool alone = Pool.cluster(c -> c.withClusterName("weft-allow").withPort(5950)
                .withAllowedClasses("org.example.*"))) {
            assertThat(alone.members()).hasSize(1);
            assertThat(alone.submit(() -> new Outsider(7)).get(LIMIT, TimeUnit.SECONDS)).isEqualTo(new Outsider(7));
        }
    }

    /**
     * A task past the default limits (a capture nested deeper than 20) is refused by the member
     * that reads it, with a message about the limits and not about class paths; the pool goes on.
     */
    @Test
    void aTaskPastTheLimitsIsRefusedForItsSize() throws Exception {
        try (ClusterPool pool = TestCluster.pool(c -> c)) {
            ClusterPool.Member other = pool.members().stream().filter(m -> !m.local()).findFirst().orElseThrow();
            Object deep = null;
            for (int i = 0; i < 30; i++) {
                deep = java.util.List.of(deep == null ? "bottom" : deep);
            }
            Object captured = deep;
            TaskFuture<Integer> refused = pool.submitTo(other, () -> captured.hashCode());
            assertThatThrownBy(() -> refused.get(LIMIT, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().hasMessageContaining("cannot read the task it was sent")
                    .hasMessageContaining("the stream exceeds the deserialization limits")
                    .hasMessageContaining("capture less").hasMessageNotContaining("class path");
            assertThat(pool.submitTo(other, () -> 1).get(LIMIT, TimeUnit.SECONDS)).isEqualTo(1);
        }
    }

    /**
     * A result or exception that cannot be serialized on the member fails the task with a
     * {@link RemoteTaskException} that says what it was and why; the pool goes on.
     */
    @Test
    void outcomesThatCannotBeSerializedArriveAsRemoteTaskExceptions() throws Exception {
        try (ClusterPool pool = TestCluster.pool(c -> c)) {
            ClusterPool.Member other = pool.members().stream().filter(m -> !m.local()).findFirst().orElseThrow();
            TaskFuture<Object> result = pool.submitTo(other, () -> new Object());
            assertThatThrownBy(() -> result.get(LIMIT, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(RemoteTaskException.class)
                    .hasMessageContaining("the task's result, of class java.lang.Object, could not be serialized")
                    .satisfies(e -> assertThat(((RemoteTaskException) e).className())
                            .isEqualTo("java.io.NotSerializableException"));
            TaskFuture<Object> thrown = pool.submitTo(other, () -> {
                throw new HoldsAThread("kept back");
            });
            assertThatThrownBy(() -> thrown.get(LIMIT, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(RemoteTaskException.class)
                    .hasMessageContaining("kept back [the exception could not be serialized")
                    .satisfies(e -> {
                        RemoteTaskException remote = (RemoteTaskException) e;
                        assertThat(remote.className()).isEqualTo(HoldsAThread.class.getName());
                        assertThat(remote.getStackTrace()).isNotEmpty();
                    });
            assertThat(pool.submit(() -> 1).get(LIMIT, TimeUnit.SECONDS)).isEqualTo(1);
        }
    }

    /** An exception with a field that Java serialization refuses. */
    static final class HoldsAThread extends RuntimeException {
        private final Object thread = Thread.currentThread();

        HoldsAThread(String message) {
            super(message);
        }
    }

    /** A task can open a TaskScope for its IO on its member, as in a process worker. */
    @Test
    void aTaskCanOpenAScope() throws Exception {
        try (ClusterPool pool = TestCluster.pool(c -> c)) {
            List<Integer> sums = pool.map((Integer n) -> {
                try (TaskScope<Integer, List<Integer>> scope = TaskScope.open()) {
                    IntStream.range(0, n).forEach(i -> scope.fork(() -> i));
                    return scope.join().stream().mapToInt(Integer::intValue).sum();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }, List.of(3, 10, 100));
            assertThat(sums).containsExactly(3, 45, 4950);
        }
    }

    /**
     * A pool that started its own member stops it at close: the member leaves, and none of its
     * threads is left in this JVM. A pool that joined a running member leaves it running.
     */
    @Test
    void closeStopsTheMemberThePoolStarted() throws Exception {
        ClusterPool pool = Pool.cluster(c -> c.withClusterName("weft-own").withPort(5960).withMemberName("weft-own-1"));
        HazelcastInstance hz = pool.unwrap(HazelcastInstance.class);
        assertThat(pool.submit(() -> 1).get(LIMIT, TimeUnit.SECONDS)).isEqualTo(1);
        ClusterPool.Member own = pool.localMember();
        pool.close();
        assertThat(hz.getLifecycleService().isRunning()).isFalse();
        // The pool still answers what it is: no members now, its own member as it was.
        assertThat(pool.members()).isEmpty();
        assertThat(pool.workers()).isPositive();
        assertThat(pool.localMember()).isEqualTo(own);
        assertThat(pool.toString()).contains("terminated");
        dev.weft.testing.Await.until("the member's threads end", () -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().startsWith("hz.weft-own-1.")));

        ClusterPool shared = TestCluster.pool(c -> c);
        HazelcastInstance member = shared.unwrap(HazelcastInstance.class);
        shared.close();
        assertThat(member.getLifecycleService().isRunning()).isTrue();
        assertThatThrownBy(() -> shared.unwrap(String.class)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.String");
    }

    /**
     * A task waiting in a member's queue (sent ahead, behind a running one) and cancelled ends
     * cancelled at once and never runs; the pool's close does not wait for it.
     */
    @Test
    void cancellingATaskQueuedOnAMemberEndsItAndItNeverRuns() throws Exception {
        dev.weft.testing.Flag release = dev.weft.testing.Flag.create();
        dev.weft.testing.Tally ran = dev.weft.testing.Tally.create();
        ClusterPool pool = TestCluster.pool(c -> c.withWorkersPerMember(1).withTasksInFlight(4));
        ClusterPool.Member local = pool.localMember();
        TaskFuture<Integer> running = pool.submitTo(local, () -> {
            ran.add("first");
            release.await("the test releases the first task");
            return 1;
        });
        ran.awaitCount(1, "the first task runs");
        TaskFuture<Integer> queued = pool.submitTo(local, () -> {
            ran.add("queued");
            return 2;
        });
        assertThat(queued.cancel(true)).isTrue();
        assertThat(queued.isCancelled()).isTrue();
        release.raise();
        assertThat(running.get(LIMIT, TimeUnit.SECONDS)).isEqualTo(1);
        pool.close();
        assertThat(pool.isTerminated()).isTrue();
        assertThat(ran.keys()).containsExactly("first");
    }

    /**
     * A task cancelled as soon as it is sent may reach its member after the cancellation does (a
     * member may run the two operations in different threads), and the member then holds no task by
     * that id. The pool sends the cancellation again until the member holds the task or answers, so
     * each such task is interrupted and answers, and the pool terminates. Before, some ran on
     * until interrupted, which no one would do, and the pool never terminated.
     */
    @Test
    void tasksCancelledAsSoonAsTheyAreSentEndAndThePoolTerminates() throws Exception {
        ClusterPool pool = TestCluster.pool(c -> c.withWorkersPerMember(4));
        ClusterPool.Member remote = pool.members().stream().filter(m -> !m.local()).findFirst().orElseThrow();
        for (int i = 0; i < 200; i++) {
            TaskFuture<Object> f = pool.submitTo(i % 2 == 0 ? remote : pool.localMember(),
                    () -> dev.weft.testing.Blocking.untilInterrupted());
            assertThat(f.cancel(true)).isTrue();
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(LIMIT, TimeUnit.SECONDS)).as("the pool terminated").isTrue();
    }

    /** Bad configuration is refused at the call that was wrong, saying what is expected. */
    /**
     * A task's completion does not pass through Hazelcast's default async executor: the future
     * {@code IExecutorService} returns registers an action there for every task, which on a machine
     * of 2 CPUs (the JDK's common pool then has a parallelism of 1) starts a thread per task.
     * Placed by member, by key, and by the pool, 100 tasks each.
     */
    @Test
    void tasksDoNotPassThroughHazelcastsDefaultAsyncExecutor() throws Exception {
        try (ClusterPool pool = TestCluster.pool(c -> c)) {
            ClusterPool.Member remote = pool.members().stream().filter(m -> !m.local()).findFirst().orElseThrow();
            pool.submit(() -> 1).get(LIMIT, TimeUnit.SECONDS);
            Executor original = ConcurrencyUtil.getDefaultAsyncExecutor();
            AtomicInteger used = new AtomicInteger();
            ConcurrencyUtil.setDefaultAsyncExecutor(command -> {
                used.incrementAndGet();
                original.execute(command);
            });
            try {
                List<TaskFuture<Integer>> futures = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    int k = i;
                    futures.add(pool.submitTo(remote, () -> k));
                    futures.add(pool.submitToKeyOwner(i, () -> k));
                    futures.add(pool.submit(() -> k));
                }
                for (int i = 0; i < futures.size(); i++) {
                    assertThat(futures.get(i).get(LIMIT, TimeUnit.SECONDS)).isEqualTo(i / 3);
                }
            } finally {
                ConcurrencyUtil.setDefaultAsyncExecutor(original);
            }
            assertThat(used.get()).as("actions run by Hazelcast's default async executor for 300 tasks")
                    .isLessThan(10);
        }
    }

    /** A task without state: every instance is the same task. Counts how often a member reads one. */
    record Stateless() implements SerializableCallable<String> {
        static final AtomicInteger READS = new AtomicInteger();

        @Override
        public String call() {
            return ClusterPool.currentMember().orElseThrow().id();
        }

        private Object readResolve() {
            READS.incrementAndGet();
            return this;
        }
    }

    /** A task with state, which must be read, and run, as the instance that was sent. */
    record Stateful(int value) implements SerializableCallable<Integer> {
        static final AtomicInteger READS = new AtomicInteger();

        @Override
        public Integer call() {
            return value;
        }

        private Object readResolve() {
            READS.incrementAndGet();
            return this;
        }
    }

    /**
     * A member reads a stateless task's bytes once and runs that instance from then on, since the
     * pool sends the same bytes for every instance of the class; a task with state is read every
     * time. (The three test members share this JVM, each with an allow-list of its own: one read each.)
     */
    @Test
    void aMemberReadsAStatelessTaskOnceAndAStatefulOneEveryTime() throws Exception {
        try (ClusterPool pool = TestCluster.pool(c -> c)) {
            List<ClusterPool.Member> members = pool.members();
            for (int i = 0; i < 60; i++) {
                ClusterPool.Member m = members.get(i % members.size());
                assertThat(pool.submitTo(m, new Stateless()).get(LIMIT, TimeUnit.SECONDS)).isEqualTo(m.id());
                assertThat(pool.submitTo(m, new Stateful(i)).get(LIMIT, TimeUnit.SECONDS)).isEqualTo(i);
            }
        }
        assertThat(Stateless.READS.get()).as("reads of 60 stateless tasks on 3 members").isEqualTo(3);
        assertThat(Stateful.READS.get()).as("reads of 60 tasks with state").isEqualTo(60);
    }

    /**
     * Left to the pool, a member's window widens after tasks that did not wait in its queue: more
     * than 4 per worker are sent ahead. After tasks that did wait, it is 4 per worker, as before the
     * window adapted. Measured by what {@code shutdownNow} finds still waiting here.
     */
    @Test
    void theWindowWidensAfterTasksThatDidNotWaitAndNotAfterTasksThatDid() throws Exception {
        assertThat(sentAhead(13, pool -> {
            for (int i = 0; i < 300; i++) {
                assertThat(pool.submit(() -> 1).get(LIMIT, TimeUnit.SECONDS)).isEqualTo(1);
            }
        })).as("tasks sent ahead of 3 members of 1 worker, after 300 tasks that did not wait").isGreaterThan(12);
        assertThat(sentAhead(12, pool -> {
            List<TaskFuture<Integer>> slow = new ArrayList<>();
            for (int i = 0; i < 45; i++) {
                slow.add(pool.submit(() -> {
                    Thread.sleep(20);                   // the task's work: 20 ms
                    return 1;
                }));
            }
            for (TaskFuture<Integer> f : slow) {
                assertThat(f.get(LIMIT, TimeUnit.SECONDS)).isEqualTo(1);
            }
        })).as("tasks sent ahead of 3 members of 1 worker, after 45 tasks of 20 ms sent at once").isEqualTo(12);
    }

    /**
     * Runs {@code before} on a new pool of 1 worker per member, then counts how many of 100 blocked
     * tasks it sends to members. The pool sends what it has placed a moment after placing it, so
     * the count is taken once its MXBean says {@code atLeast} are out (or after a bound: the count
     * then tells what was sent).
     */
    private static int sentAhead(int atLeast, ThrowingConsumer<ClusterPool> before) throws Exception {
        dev.weft.testing.Flag release = dev.weft.testing.Flag.create();
        dev.weft.testing.Tally ran = dev.weft.testing.Tally.create();
        String name = "window-" + java.util.UUID.randomUUID();
        ClusterPool pool = TestCluster.pool(c -> c.withName(name).withWorkersPerMember(1));
        try {
            before.accept(pool);
            for (int i = 0; i < 100; i++) {
                int k = i;
                pool.submit(() -> {
                    ran.add("task-" + k);
                    release.await("the test releases the blocked tasks");
                    return k;
                });
            }
            ran.awaitCount(3, "a blocked task runs on each member");
            dev.weft.PoolMXBean bean = javax.management.JMX.newMXBeanProxy(
                    java.lang.management.ManagementFactory.getPlatformMBeanServer(),
                    new javax.management.ObjectName("dev.weft:type=Pool,name=" + name), dev.weft.PoolMXBean.class);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (bean.getRunningTasks() < atLeast && System.nanoTime() - deadline < 0) {
                Thread.sleep(1);            // polling a count, bounded: see the javadoc
            }
            return 100 - pool.shutdownNow().size();
        } finally {
            release.raise();
            pool.close();
        }
    }

    private interface ThrowingConsumer<T> {
        void accept(T t) throws Exception;
    }

    @Test
    void badConfigurationIsRefusedAtTheCall() {
        ClusterPool.Configuration c = ClusterPool.Configuration.defaults();
        assertThatThrownBy(() -> c.withPort(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1..65535");
        assertThatThrownBy(() -> c.withMembers("host:http")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("host:port");
        assertThatThrownBy(() -> c.withMembers(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> c.withWorkers(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> c.withWorkersPerMember(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> c.withMemberTimeout(Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 2 seconds");
        assertThatThrownBy(() -> c.withAllowedClasses("a;b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Pool.cluster(x -> x.withHost("no-such-host.invalid")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("withHost");
        assertThatThrownBy(() -> ClusterMember.parse(new String[] {"--colour", "blue"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--members");
    }
}
