package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.testing.Await;
import dev.weft.testing.Flag;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The counter shared across processes: exact within one JVM, across worker JVMs, and across a
 * worker killed part-way (the jcstress proof of its atomicity in one JVM is
 * {@code Counter_02_SharedAcrossMappings} in stress-tests).
 */
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SharedCounterTest {

    /** Threads of one JVM, through two mappings of the same file, lose no update. */
    @Test
    void threadsThroughTwoMappingsLoseNoUpdate() throws Exception {
        try (SharedCounter counter = SharedCounter.create()) {
            SharedCounter other = SharedCounter.open(counter.path());
            CyclicBarrier start = new CyclicBarrier(2);
            Thread a = Thread.ofPlatform().start(() -> increment(start, counter, 200_000));
            Thread b = Thread.ofPlatform().start(() -> increment(start, other, 200_000));
            assertThat(a.join(java.time.Duration.ofSeconds(30))).isTrue();
            assertThat(b.join(java.time.Duration.ofSeconds(30))).isTrue();
            assertThat(counter.get()).isEqualTo(400_000);
            assertThat(other.get()).isEqualTo(400_000);
        }
    }

    private static void increment(CyclicBarrier start, SharedCounter counter, int times) {
        try {
            start.await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        for (int i = 0; i < times; i++) {
            counter.incrementAndGet();
        }
    }

    /** N worker JVMs x M increments end at exactly N x M, as the parent reads it. */
    @Test
    void workersInSeveralJvmsEndExact() throws Exception {
        try (SharedCounter counter = SharedCounter.create();
             ProcessPool pool = Pool.processes(c -> c.withWorkers(3).withTasksInFlight(1))) {
            // Else the first worker ready may run them all, taking back those sent to the others as they start.
            ProcessPoolImpl impl = (ProcessPoolImpl) pool;
            Await.until("the workers are ready", () -> impl.readyPids().size() == 3, Duration.ofSeconds(30));
            List<Long> pids = pool.map(n -> {
                for (int i = 0; i < 50_000; i++) {
                    counter.incrementAndGet();
                }
                return ProcessHandle.current().pid();
            }, List.of(1, 2, 3, 4, 5, 6), 1);
            assertThat(pids).doesNotContain(ProcessHandle.current().pid());
            assertThat(pids.stream().distinct().count()).isGreaterThan(1);
            assertThat(counter.get()).isEqualTo(6 * 50_000);
        }
    }

    /**
     * A worker killed part-way leaves exactly the increments it made. The victim adds a million per
     * increment and the others one, so the total tells both apart: the survivors' part must be
     * exact, and the victim's a whole number of increments, at least as many as it acknowledged
     * before the kill.
     */
    @Test
    void workerKilledPartWayLeavesExactlyItsIncrements() throws Exception {
        int perTask = 20_000;
        Flag victimReady = Flag.create();
        try (SharedCounter counter = SharedCounter.create();
             ProcessPool pool = Pool.processes(c -> c.withWorkers(3).withTasksInFlight(1))) {
            TaskFuture<Long> victim = pool.submit(() -> {
                for (int i = 0; ; i++) {
                    counter.addAndGet(1_000_000);
                    if (i == 1000) {
                        victimReady.raise(ProcessHandle.current().pid() + " " + (i + 1));
                    }
                    if (i > 1000) {
                        Thread.sleep(1);            // slow down until killed
                    }
                }
            });
            victimReady.await("the victim made 1001 increments");
            String[] message = victimReady.message().split(" ");
            List<TaskFuture<Long>> survivors = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                survivors.add(pool.submit(() -> {
                    for (int i = 0; i < perTask; i++) {
                        counter.incrementAndGet();
                    }
                    return ProcessHandle.current().pid();
                }));
            }
            ProcessHandle.of(Long.parseLong(message[0])).orElseThrow().destroyForcibly();
            assertThatThrownBy(() -> victim.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(BrokenProcessPoolException.class);
            for (TaskFuture<Long> s : survivors) {
                s.get(30, TimeUnit.SECONDS);
            }
            long total = counter.get();
            assertThat(total % 1_000_000).isEqualTo(2L * perTask);
            assertThat(total / 1_000_000).isGreaterThanOrEqualTo(Long.parseLong(message[1]));
        }
    }

    /** The creator's close deletes the file; a copy's close does not; a file that is too short is refused. */
    @Test
    void ownershipAndBadFiles(@TempDir Path dir) throws Exception {
        SharedCounter counter = SharedCounter.create();
        SharedCounter copy = SharedCounter.open(counter.path());
        copy.addAndGet(5);
        copy.close();
        assertThat(Files.exists(counter.path())).isTrue();
        assertThat(counter.compareAndSet(5, 7)).isTrue();
        assertThat(counter.compareAndSet(5, 9)).isFalse();
        assertThat(counter.get()).isEqualTo(7);
        counter.close();
        assertThat(Files.exists(counter.path())).isFalse();
        Path shortFile = Files.write(dir.resolve("short"), new byte[3]);
        assertThatThrownBy(() -> SharedCounter.open(shortFile)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a shared counter file");
        assertThatThrownBy(() -> SharedCounter.open(null)).isInstanceOf(NullPointerException.class);
    }

    /** Several counters in one file, each updated from the workers by key, end exact and apart. */
    @Test
    void manyCountersInOneFileStayApart() throws Exception {
        List<SharedCounter> tally = SharedCounter.createMany(3);
        try (ProcessPool pool = Pool.processes(c -> c.withWorkers(2))) {
            pool.map(i -> tally.get(i % 3).addAndGet(i % 3 + 1), java.util.stream.IntStream.range(0, 3000).boxed().toList());
            assertThat(tally).extracting(SharedCounter::get).containsExactly(1000L, 2000L, 3000L);
            assertThat(SharedCounter.openMany(tally.get(0).path())).extracting(SharedCounter::get)
                    .containsExactly(1000L, 2000L, 3000L);
        } finally {
            tally.get(0).close();
        }
        assertThatThrownBy(() -> SharedCounter.createMany(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
