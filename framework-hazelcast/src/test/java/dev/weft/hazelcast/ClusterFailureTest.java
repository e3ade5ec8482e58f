package dev.weft.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.core.HazelcastInstance;
import dev.weft.ClusterPool;
import dev.weft.MemberLostException;
import dev.weft.Pool;
import dev.weft.TaskFuture;
import dev.weft.testing.Flag;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A member in another JVM, killed with SIGKILL while it runs tasks: their futures end promptly,
 * and the pool keeps serving; with durable tasks, the cluster runs the task again elsewhere.
 * Each test has a cluster of its own: this JVM's pool member and one member JVM.
 */
class ClusterFailureTest {
    /** How long a future may take to end after its member is killed: the member timeout and slack. */
    private static final long PROMPTLY = 30;

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        processes.forEach(Process::destroyForcibly);
    }

    /** Starts a member JVM of cluster {@code cluster} that joins {@code pool}'s member; returns once it has joined. */
    private ClusterPool.Member startMemberJvm(ClusterPool pool, String cluster, int port) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(System.getProperty("weft.hazelcast.jvmFlags", "").split(" ")));
        command.removeIf(String::isBlank);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "-Dhazelcast.logging.type=none",
                ClusterMember.class.getName(), "--cluster", cluster, "--port", Integer.toString(port),
                "--members", pool.localMember().address(), "--member-timeout", "5"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        processes.add(p);
        // Its output is read to the end, so that it never blocks on a full pipe; the ready line gives its address.
        CompletableFuture<String> ready = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("member-jvm-output").start(() -> {
            try (BufferedReader out = p.inputReader(StandardCharsets.UTF_8)) {
                for (String line; (line = out.readLine()) != null; ) {
                    if (line.startsWith("member ") && line.contains(" ready")) {
                        ready.complete(line.split(" ")[1]);
                    }
                }
            } catch (IOException e) {
                ready.completeExceptionally(e);
            }
            ready.completeExceptionally(new IllegalStateException("the member JVM ended before it was ready"));
        });
        String address = ready.get(60, TimeUnit.SECONDS);
        dev.weft.testing.Await.until("the pool sees the member JVM",
                () -> pool.members().stream().anyMatch(m -> m.address().equals(address)));
        return pool.members().stream().filter(m -> m.address().equals(address)).findFirst().orElseThrow();
    }

    /**
     * A member killed mid-task: the futures of its tasks fail with MemberLostException naming it,
     * within the member timeout; the pool goes on with the member left.
     */
    @Test
    void killedMemberFailsItsTasksAndThePoolGoesOn() throws Exception {
        try (ClusterPool pool = Pool.cluster(c -> c.withClusterName("weft-kill").withPort(5970)
                .withMemberTimeout(java.time.Duration.ofSeconds(5)))) {
            ClusterPool.Member remote = startMemberJvm(pool, "weft-kill", 5971);
            Flag started = Flag.create();
            Flag never = Flag.create();
            List<TaskFuture<Long>> doomed = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                doomed.add(pool.submitTo(remote, () -> {
                    started.raise();
                    never.await("never raised: the member is killed first");
                    return ProcessHandle.current().pid();
                }));
            }
            started.await("a task started on the member JVM");
            processes.get(0).destroyForcibly();             // SIGKILL
            for (TaskFuture<Long> f : doomed) {
                assertThatThrownBy(() -> f.get(PROMPTLY, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                        .cause().isInstanceOf(MemberLostException.class)
                        .satisfies(e -> assertThat(((MemberLostException) e).member()).isNotNull());
            }
            dev.weft.testing.Await.until("the member is gone", () -> pool.members().size() == 1);
            assertThat(pool.map((Integer x) -> x * 2, List.of(1, 2, 3))).containsExactly(2, 4, 6);
        }
    }

    /**
     * Durable tasks: a task whose member is killed runs again on the member left, and its future
     * gets that run's result. It ran at least once on each.
     */
    @Test
    void durableTaskRunsAgainAfterItsMemberIsKilled() throws Exception {
        try (ClusterPool pool = Pool.cluster(c -> c.withClusterName("weft-durable").withPort(5980).withDurable(true)
                .withMemberTimeout(java.time.Duration.ofSeconds(5)))) {
            ClusterPool.Member remote = startMemberJvm(pool, "weft-durable", 5981);
            HazelcastInstance hz = pool.unwrap(HazelcastInstance.class);
            int key = 0;
            while (!hz.getPartitionService().getPartition(key).getOwner().getUuid().toString().equals(remote.id())) {
                key++;
            }
            long here = ProcessHandle.current().pid();
            Flag startedThere = Flag.create();
            Flag never = Flag.create();
            TaskFuture<Long> f = pool.submitToKeyOwner(key, () -> {
                long pid = ProcessHandle.current().pid();
                if (pid != here) {
                    startedThere.raise();
                    never.await("never raised: the member is killed first");
                }
                return pid;
            });
            startedThere.await("the task started on the member JVM");
            processes.get(0).destroyForcibly();
            assertThat(f.get(PROMPTLY, TimeUnit.SECONDS)).isEqualTo(here);
            assertThatThrownBy(() -> pool.submitTo(pool.localMember(), () -> 1))
                    .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("submitToKeyOwner");
        }
    }

    /**
     * Rounds of: a member JVM joins, a map and a stream of tasks run on every member, the member JVM
     * is killed. Every future ends, with its result or MemberLostException, and the map either
     * returns every result in order or fails with MemberLostException; the pool serves after each
     * round. CI runs one round; the Maven profile cluster-full runs five.
     */
    @Test
    void roundsOfKilledMembersLoseNoTask() throws Exception {
        int rounds = Boolean.getBoolean("weft.cluster.full") ? 5 : 1;
        try (ClusterPool pool = Pool.cluster(c -> c.withClusterName("weft-soak").withPort(5990).withWorkersPerMember(2)
                .withMemberTimeout(java.time.Duration.ofSeconds(5)))) {
            for (int round = 0; round < rounds; round++) {
                ClusterPool.Member remote = startMemberJvm(pool, "weft-soak", 5991);
                Flag started = Flag.create();
                Flag never = Flag.create();
                List<TaskFuture<Integer>> futures = new ArrayList<>();
                futures.add(pool.submitTo(remote, () -> {
                    started.raise();
                    never.await("never raised: the member is killed first");
                    return -1;
                }));
                for (int i = 0; i < 200; i++) {
                    int n = i;
                    futures.add(pool.submit(() -> n * n));
                }
                dev.weft.AsyncResult<List<Integer>> mapped = pool.mapAsync((Integer x) -> x + 1,
                        java.util.stream.IntStream.range(0, 1000).boxed().toList());
                started.await("the blocking task started on the member JVM");
                processes.remove(0).destroyForcibly();
                for (int i = 0; i < futures.size(); i++) {
                    TaskFuture<Integer> f = futures.get(i);
                    try {
                        assertThat(f.get(PROMPTLY, TimeUnit.SECONDS)).isEqualTo((i - 1) * (i - 1));
                    } catch (ExecutionException e) {
                        assertThat(e.getCause()).isInstanceOf(MemberLostException.class);
                    }
                }
                assertThat(futures.get(0)).isDone();
                assertThat(mapped.waitFor(java.time.Duration.ofSeconds(PROMPTLY))).isTrue();
                if (mapped.successful()) {
                    assertThat(mapped.get(java.time.Duration.ZERO)).hasSize(1000).startsWith(1, 2, 3);
                } else {
                    assertThatThrownBy(() -> mapped.get(java.time.Duration.ZERO)).hasCauseInstanceOf(MemberLostException.class);
                }
                dev.weft.testing.Await.until("the member is gone", () -> pool.members().size() == 1);
                assertThat(pool.submit(() -> 7).get(PROMPTLY, TimeUnit.SECONDS)).isEqualTo(7);
            }
        }
    }
}
