package dev.weft.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import dev.weft.ClusterPool;
import dev.weft.SerializableCallable;
import dev.weft.TaskFuture;
import dev.weft.internal.cluster.ClusterTasks;
import dev.weft.internal.wire.AllowList;
import dev.weft.spi.ClusterBackend;
import dev.weft.spi.ClusterProvider;
import dev.weft.testing.Blocking;
import dev.weft.testing.Tally;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Batches: tasks that travel to a member in one operation, run there one after the other by one
 * worker, and are each answered, and cancelled, alone.
 */
class BatchTest {
    private static final long LIMIT = 30;

    private HazelcastBackend backend;
    private ClusterBackend.MemberInfo remote;

    @BeforeEach
    void openBackend() {
        HazelcastInstance member = TestCluster.members().get(0).hazelcast();
        backend = new HazelcastBackend(member, false, false, new ClusterProvider.Pool("batch-test",
                "weft-cluster-batch-test-", "weft.batch-test." + UUID.randomUUID(), 2, null));
        remote = backend.members().stream().filter(m -> !m.local()).findFirst().orElseThrow();
    }

    @AfterEach
    void closeBackend() {
        backend.close();
    }

    /** The thread that ran the last {@link Step} (the members share this JVM). */
    static final java.util.concurrent.atomic.AtomicReference<Thread> LAST = new java.util.concurrent.atomic.AtomicReference<>();

    /** A task that counts its key in the tally, then returns the key, the name of its thread, and whether it was interrupted. */
    record Step(Tally ran, String key) implements SerializableCallable<String> {
        @Override
        public String call() {
            LAST.set(Thread.currentThread());
            ran.add(key);
            return key + " in " + Thread.currentThread().getName() + (Thread.currentThread().isInterrupted() ? " (interrupted)" : "");
        }
    }

    /** A task that counts its key, then waits to be interrupted, and keeps the interrupt as a task should. */
    record Blocked(Tally ran, String key) implements SerializableCallable<String> {
        @Override
        public String call() throws InterruptedException {
            ran.add(key);
            try {
                return Blocking.untilInterrupted();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw e;
            }
        }
    }

    /**
     * Three tasks go as one batch to a remote member, run there in order in one thread, which has
     * the pool's name while they run and its own after, and each has its own result.
     */
    @Test
    void aBatchRunsItsTasksInOrderInOneWorkerAndAnswersEachAlone() throws Exception {
        Tally ran = Tally.create();
        long before = Batches.started();
        List<CompletableFuture<byte[]>> answers = send(new Step(ran, "a"), new Step(ran, "b"), new Step(ran, "c"));
        List<String> results = new ArrayList<>();
        for (CompletableFuture<byte[]> answer : answers) {
            results.add((String) value(answer));
        }
        assertThat(Batches.started() - before).as("batches started").isEqualTo(1);
        assertThat(results).hasSize(3);
        String thread = results.get(0).substring("a in ".length());
        assertThat(thread).startsWith("weft-cluster-batch-test-");
        assertThat(results).containsExactly("a in " + thread, "b in " + thread, "c in " + thread);
        assertThat(ran.keys()).containsExactly("a", "b", "c");
        assertThat(LAST.get().getName()).as("the worker's name after the batch").doesNotStartWith("weft-cluster-");
    }

    /**
     * One task of a batch is cancelled alone: one that has not started is skipped and ends
     * cancelled; the one that runs is interrupted and ends with its exception; the others run, not
     * interrupted (the interrupt was the first task's), and a task that has run can no longer be cancelled.
     */
    @Test
    void eachTaskOfABatchIsCancelledAlone() throws Exception {
        Tally ran = Tally.create();
        List<CompletableFuture<byte[]>> answers = new ArrayList<>();
        List<ClusterBackend.Sent> sent = backend.sendAll(List.of(bytes(new Blocked(ran, "first")),
                bytes(new Step(ran, "second")), bytes(new Step(ran, "third"))), remote, completions(answers, 3));
        ran.awaitCount(1, "the batch's first task runs");
        assertThat(sent.get(2).cancel(false)).as("cancel the third, which has not started").isTrue();
        assertThat(sent.get(0).cancel(true)).as("cancel the first, which runs").isTrue();

        ClusterTasks.Outcome first = ClusterTasks.Outcome.decode(answers.get(0).get(LIMIT, TimeUnit.SECONDS));
        assertThat(first.kind()).isEqualTo(ClusterTasks.FAILURE);
        assertThat(AllowList.deserialize(first.payload(), AllowList.filter(List.of()))).isInstanceOf(InterruptedException.class);
        assertThat((String) value(answers.get(1))).startsWith("second in ").doesNotEndWith("(interrupted)");
        assertThat(answers.get(2).handle((outcome, failure) -> failure).get(LIMIT, TimeUnit.SECONDS))
                .as("the third task's failure").isInstanceOf(CancellationException.class);
        assertThat(sent.get(1).cancel(true)).as("cancel the second, which has run").isFalse();
        assertThat(ran.keys()).containsExactly("first", "second");
    }

    /**
     * A pool sends tiny tasks in batches once its members' windows have widened, and every task
     * still has its own result. Batches form where outcomes come in together, as they do when
     * thousands of tasks are submitted at once (300 to 500 batches for 5,000 tasks here).
     */
    @Test
    void tinyTasksTravelInBatchesOnceTheWindowsWiden() throws Exception {
        long before = Batches.started();
        try (ClusterPool pool = TestCluster.pool(c -> c.withWorkersPerMember(1))) {
            for (int i = 0; i < 300; i++) {
                assertThat(pool.submit(() -> 1).get(LIMIT, TimeUnit.SECONDS)).isEqualTo(1);
            }
            List<TaskFuture<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < 5_000; i++) {
                int k = i;
                futures.add(pool.submit(() -> k));
            }
            for (int i = 0; i < futures.size(); i++) {
                assertThat(futures.get(i).get(LIMIT, TimeUnit.SECONDS)).isEqualTo(i);
            }
        }
        assertThat(Batches.started() - before).as("batches started for 5,000 tiny tasks").isGreaterThan(50);
    }

    /**
     * A member that does not say it reads batches, as one started by an earlier Weft, is sent each
     * task alone. (A member of a cluster of its own, so as not to change the shared one.)
     */
    @Test
    void aMemberThatDoesNotReadBatchesIsSentEachTaskAlone() throws Exception {
        com.hazelcast.config.Config config = MemberConfig.of(new ClusterProvider.Settings("weft-tests-earlier",
                "127.0.0.1", TestCluster.PORT + 50, List.of("127.0.0.1:" + (TestCluster.PORT + 50)), List.of(),
                java.time.Duration.ofSeconds(5), "weft-test-earlier", false));
        config.getMemberAttributeConfig().removeAttribute(MemberConfig.BATCHES);
        HazelcastInstance earlier = com.hazelcast.core.Hazelcast.newHazelcastInstance(config);
        HazelcastBackend alone = new HazelcastBackend(earlier, true, false, new ClusterProvider.Pool("batch-test",
                "weft-cluster-batch-test-", "weft.batch-test." + UUID.randomUUID(), 2, null));
        try {
            Tally ran = Tally.create();
            long before = Batches.started();
            List<CompletableFuture<byte[]>> answers = new ArrayList<>();
            alone.sendAll(List.of(bytes(new Step(ran, "a")), bytes(new Step(ran, "b"))), alone.localMember(),
                    completions(answers, 2));
            assertThat((String) value(answers.get(0))).startsWith("a in ");
            assertThat((String) value(answers.get(1))).startsWith("b in ");
            assertThat(Batches.started() - before).as("batches started").isZero();
        } finally {
            alone.close();
        }
    }

    private List<CompletableFuture<byte[]>> send(SerializableCallable<?>... tasks) throws Exception {
        List<byte[]> payloads = new ArrayList<>();
        for (SerializableCallable<?> task : tasks) {
            payloads.add(bytes(task));
        }
        List<CompletableFuture<byte[]>> answers = new ArrayList<>();
        backend.sendAll(payloads, remote, completions(answers, tasks.length));
        return answers;
    }

    private static List<ClusterBackend.Completion> completions(List<CompletableFuture<byte[]>> answers, int n) {
        List<ClusterBackend.Completion> completions = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            CompletableFuture<byte[]> answer = new CompletableFuture<>();
            answers.add(answer);
            completions.add(new ClusterBackend.Completion() {
                @Override
                public void succeeded(byte[] outcome) {
                    answer.complete(outcome);
                }

                @Override
                public void failed(Throwable failure) {
                    answer.completeExceptionally(failure);
                }

                @Override
                public void memberLost(String why, ClusterBackend.MemberInfo member, Throwable cause) {
                    answer.completeExceptionally(new IllegalStateException(why, cause));
                }
            });
        }
        return completions;
    }

    private static byte[] bytes(Object task) throws Exception {
        return AllowList.serialize(task);
    }

    /** The result a task's outcome carries. */
    private static Object value(CompletableFuture<byte[]> answer) throws Exception {
        ClusterTasks.Outcome outcome = ClusterTasks.Outcome.decode(answer.get(LIMIT, TimeUnit.SECONDS));
        assertThat(outcome.kind()).as("outcome kind of " + outcome.where()).isEqualTo(ClusterTasks.RESULT);
        return AllowList.deserialize(outcome.payload(), AllowList.filter(List.of()));
    }
}
