package com.example.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Pool;
import dev.weft.ProcessPool;
import dev.weft.RemoteTaskException;
import dev.weft.SerialLimits;
import dev.weft.TaskFuture;
import java.io.Serializable;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A process pool used from a package of the user's own, with no configuration: the library's
 * defaults favour {@code dev.weft.**}, so these tests live outside it, as a user's code does.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ProcessPoolAsAStrangerTest {

    record Total(long n, long sum) implements Serializable {
    }

    static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message);
        }
    }

    /** A linked chain of records, {@code length} deep. */
    record Link(int value, Link next) implements Serializable {
        static Link chain(int length) {
            Link link = null;
            for (int i = 0; i < length; i++) {
                link = new Link(i, link);
            }
            return link;
        }
    }

    static long sumTo(long n) {
        long sum = 0;
        for (long i = 1; i <= n; i++) {
            sum += i;
        }
        return sum;
    }

    /**
     * An initializer that cannot be serialized is refused by the factory call that was given it;
     * the workers that the pool spawned before it found that out do not outlive the refusal.
     */
    @Test
    void anInitializerThatCannotCrossIsRefusedByTheFactoryAndNoWorkerOutlivesIt() {
        Set<Long> before = ProcessHandle.current().children().map(ProcessHandle::pid).collect(Collectors.toSet());
        Object stays = new Object();           // not serializable: the initializer that captures it cannot cross

        assertThatThrownBy(() -> Pool.processes(c -> c.withWorkers(2).withInitializer(() -> stays.hashCode())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the initializer cannot be sent to the workers")
                .hasMessageContaining("java.lang.Object");
        List<ProcessHandle> spawned = ProcessHandle.current().children().filter(p -> !before.contains(p.pid())).toList();
        assertThat(spawned).allSatisfy(worker -> assertThat(worker.onExit()).succeedsWithin(Duration.ofSeconds(30)));
    }

    /** The README's snippet as written: a lambda calling a method of the user's class, in the user's package. */
    @Test
    void theReadmesProcessPoolSnippetWorksInAUsersPackage() throws Exception {
        List<Long> inputs = List.of(1_000L, 2_000L, 3_000L);
        try (ProcessPool pool = Pool.processes(c -> c.withHeap("512m").withMaxTasksPerChild(100))) {
            List<Long> sums = pool.map(n -> sumTo(n), inputs);
            assertThat(sums).containsExactly(500_500L, 2_001_000L, 4_501_500L);
        }
    }

    /**
     * A capturing task, an initializer, results and exceptions of the user's own classes all cross
     * without withAllowedClasses.
     */
    @Test
    void theUsersOwnClassesCrossBothWaysWithoutConfiguration() throws Exception {
        long k = 10;
        try (ProcessPool pool = Pool.processes(c -> c.withWorkers(1)
                .withInitializer(() -> System.setProperty("com.example.ready", new Total(1, 1).toString())))) {
            assertThat(pool.submit(() -> new Total(k, sumTo(k))).get(30, TimeUnit.SECONDS)).isEqualTo(new Total(10, 55));
            assertThat(pool.map(n -> new Total(n, sumTo(n)), List.of(3L, 4L)))
                    .containsExactly(new Total(3, 6), new Total(4, 10));
            long doubled = pool.apply(t -> t.sum() * 2, new Total(2, 21));
            assertThat(doubled).isEqualTo(42);
            assertThat(pool.submit(() -> System.getProperty("com.example.ready")).get(30, TimeUnit.SECONDS))
                    .isEqualTo("Total[n=1, sum=1]");
            TaskFuture<Object> refused = pool.submit(() -> {
                throw new Refused("no, " + k);
            });
            assertThatThrownBy(() -> refused.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(Refused.class).hasMessage("no, 10");
        }
    }

    /**
     * A result nested deeper than the limit fails its future at once, naming the limit and the
     * call that raises it; the pool carries on, and with the limit raised the result crosses.
     */
    @Test
    void aResultDeeperThanTheLimitFailsItsFutureNamingTheSetting() throws Exception {
        try (ProcessPool pool = Pool.processes(c -> c.withWorkers(1))) {
            TaskFuture<Link> deep = pool.submit(() -> Link.chain(100));
            assertThatThrownBy(() -> deep.get(30, TimeUnit.SECONDS)).cause().isInstanceOf(RemoteTaskException.class)
                    .hasMessageContaining("maxdepth=20").hasMessageContaining("withSerialLimits");
            assertThat(pool.submit(() -> Link.chain(10)).get(30, TimeUnit.SECONDS)).isEqualTo(Link.chain(10));
        }
        try (ProcessPool pool = Pool.processes(c -> c.withWorkers(1)
                .withSerialLimits(SerialLimits.defaults().withMaxDepth(200)))) {
            assertThat(pool.submit(() -> Link.chain(100)).get(30, TimeUnit.SECONDS)).isEqualTo(Link.chain(100));
        }
    }

    /**
     * Hash sets nested 60 deep, each level holding the next twice over, would take the parent for
     * ever to decode (each level doubles the work): the depth limit refuses them at once, the
     * future fails saying why, and the pool stays usable.
     */
    @Test
    void aHostileNestedResultFailsItsFutureInsteadOfHangingThePool() throws Exception {
        try (ProcessPool pool = Pool.processes(c -> c.withWorkers(1))) {
            TaskFuture<Set<Object>> bomb = pool.submit(() -> nestedSets(60));
            assertThatThrownBy(() -> bomb.get(30, TimeUnit.SECONDS)).cause().isInstanceOf(RemoteTaskException.class)
                    .hasMessageContaining("deserialization limits");
            assertThat(pool.submit(() -> 5).get(30, TimeUnit.SECONDS)).isEqualTo(5);
        }
    }

    /** Sets nested {@code depth} levels, each level holding two sets that both hold the next level's two. */
    static Set<Object> nestedSets(int depth) {
        Set<Object> root = new HashSet<>();
        Set<Object> s1 = root;
        Set<Object> s2 = new HashSet<>();
        for (int i = 0; i < depth; i++) {
            Set<Object> t1 = new HashSet<>();
            Set<Object> t2 = new HashSet<>();
            t1.add("leaf");
            s1.add(t1);
            s1.add(t2);
            s2.add(t1);
            s2.add(t2);
            s1 = t1;
            s2 = t2;
        }
        return root;
    }
}
