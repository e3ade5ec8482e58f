package dev.weft;

import static dev.weft.testing.Tasks.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.testing.Await;
import dev.weft.testing.Boom;
import dev.weft.testing.Busy;
import dev.weft.testing.EveryPool;
import dev.weft.testing.Flag;
import dev.weft.testing.PoolKind;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Each pool's MXBean, {@code dev.weft:type=Pool,name=NAME}, read through JMX as a client reads it:
 * its counts match a known workload on every pool kind, it is there from the pool's creation and
 * gone once the pool has terminated, and its name is valid and unique whatever the pool's name.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PoolMXBeanTest {
    private static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();
    private static final int SUCCEED = 5, FAIL = 2, HOLD = 3, CANCEL = 2;

    /**
     * Known tasks, known counts: 5 that succeed and 2 that fail, then 3 that hold their workers
     * (running 3), 2 cancelled (queued before, where the pool has a bound), then the 3 released;
     * shut down, it says so; the bean is gone once the pool is closed.
     */
    @EveryPool
    void countsMatchAKnownWorkload(PoolKind kind) throws Exception {
        String name = "mx-" + kind + "-" + UUID.randomUUID();
        ObjectName objectName = new ObjectName("dev.weft:type=Pool,name=" + name);
        try (Pool pool = kind.open(c -> c.withName(name))) {
            PoolMXBean bean = JMX.newMXBeanProxy(SERVER, objectName, PoolMXBean.class);
            assertThat(bean.getName()).isEqualTo(name);
            assertThat(bean.getKind()).isEqualTo(((AbstractPool) pool).kind);
            List<TaskFuture<Object>> done = new ArrayList<>();
            for (int i = 0; i < SUCCEED + FAIL; i++) {
                boolean fails = i >= SUCCEED;
                done.add(pool.submit(call(() -> {
                    if (fails) {
                        throw new Boom("counted as failed");
                    }
                    return "counted as completed";
                })));
            }
            for (TaskFuture<Object> f : done) {
                try {
                    f.get(Await.LIMIT.toSeconds(), TimeUnit.SECONDS);
                } catch (ExecutionException expected) {
                    // the failures
                }
            }
            assertCounts(bean, 0, 0, SUCCEED, FAIL, 0);

            List<TaskFuture<Object>> holding = new ArrayList<>();
            Flag release = Busy.hold(pool, HOLD, holding);
            assertCounts(bean, 0, HOLD, SUCCEED, FAIL, 0);
            Await.until("the bean counts " + HOLD + " workers", () -> bean.getWorkers() == HOLD);
            List<TaskFuture<Object>> cancelled = new ArrayList<>();
            if (kind.bounded()) {
                for (int i = 0; i < CANCEL; i++) {
                    cancelled.add(pool.submit(call(() -> "never runs")));
                }
                assertCounts(bean, CANCEL, HOLD, SUCCEED, FAIL, 0);
            } else {
                Busy.hold(pool, CANCEL, cancelled);      // each task has its thread: these run, and are cancelled running
                assertCounts(bean, 0, HOLD + CANCEL, SUCCEED, FAIL, 0);
            }
            cancelled.forEach(f -> assertThat(f.cancel(true)).isTrue());
            assertCounts(bean, 0, HOLD, SUCCEED, FAIL, CANCEL);

            release.raise();
            for (TaskFuture<Object> f : holding) {
                f.get(Await.LIMIT.toSeconds(), TimeUnit.SECONDS);
            }
            assertCounts(bean, 0, 0, SUCCEED + HOLD, FAIL, CANCEL);
            assertThat(bean.isBroken()).isFalse();
            assertThat(bean.isShutdown()).isFalse();

            Flag last = Busy.hold(pool, 1, new ArrayList<>());
            pool.shutdown();
            assertThat(bean.isShutdown()).as("shut down, a task still running").isTrue();
            last.raise();
        }
        assertThat(SERVER.isRegistered(objectName)).as("registered after close() returned").isFalse();
    }

    /** A broken pool says so, and counts the task its broken initializer failed; terminate and join unregister it. */
    @Test
    void aBrokenPoolSaysSoAndTerminateUnregistersIt() throws Exception {
        String name = "mx-broken-" + UUID.randomUUID();
        ObjectName objectName = new ObjectName("dev.weft:type=Pool,name=" + name);
        Pool pool = Pool.io(c -> c.withName(name).withInitializer(() -> {
            throw new Boom("the initializer");
        }));
        PoolMXBean bean = JMX.newMXBeanProxy(SERVER, objectName, PoolMXBean.class);
        assertThat(bean.isBroken()).isFalse();
        TaskFuture<String> task = pool.submit(() -> "never runs");
        assertThatThrownBy(() -> task.get(Await.LIMIT.toSeconds(), TimeUnit.SECONDS))
                .hasCauseInstanceOf(BrokenPoolException.class);
        assertThat(bean.isBroken()).isTrue();
        assertCounts(bean, 0, 0, 0, 1, 0);
        pool.terminate();
        pool.join();
        assertThat(SERVER.isRegistered(objectName)).isFalse();
    }

    /**
     * Two live pools of the same name get {@code name} and {@code name#2}; a name that an ObjectName
     * value cannot hold bare is quoted; a name freed by a terminated pool is taken again.
     */
    @Test
    void namesAreMadeUniqueAndQuotedWhereTheyMustBe() throws Exception {
        String twin = "mx-twin-" + UUID.randomUUID();
        String odd = "mx=odd, \"quoted\": " + UUID.randomUUID();
        try (Pool first = Pool.io(c -> c.withName(twin));
             Pool second = Pool.io(c -> c.withName(twin));
             Pool quoted = Pool.io(c -> c.withName(odd))) {
            assertThat(SERVER.queryNames(new ObjectName("dev.weft:type=Pool,*"), null))
                    .contains(new ObjectName("dev.weft:type=Pool,name=" + twin),
                            new ObjectName("dev.weft:type=Pool,name=" + twin + "#2"),
                            new ObjectName("dev.weft:type=Pool,name=" + ObjectName.quote(odd)));
            PoolMXBean oddBean = JMX.newMXBeanProxy(SERVER, new ObjectName("dev.weft:type=Pool,name=" + ObjectName.quote(odd)),
                    PoolMXBean.class);
            assertThat(oddBean.getName()).isEqualTo(odd);
            first.close();
            try (Pool third = Pool.io(c -> c.withName(twin))) {
                assertThat(JMX.newMXBeanProxy(SERVER, new ObjectName("dev.weft:type=Pool,name=" + twin),
                        PoolMXBean.class).getName()).isEqualTo(twin);
                assertThat(SERVER.isRegistered(new ObjectName("dev.weft:type=Pool,name=" + twin + "#2"))).isTrue();
            }
        }
        assertThat(SERVER.queryNames(new ObjectName("dev.weft:type=Pool,*"), null))
                .noneMatch(n -> n.getKeyProperty("name").contains(twin) || n.getKeyProperty("name").contains("mx=odd"));
    }

    /** A pool never closed does not stay reachable through its bean: once it is garbage, the next pool's registration removes the bean. */
    @Test
    void theBeanOfAPoolNeverClosedGoesOnceThePoolIsGarbage() throws Exception {
        String name = "mx-forgotten-" + UUID.randomUUID();
        ObjectName objectName = new ObjectName("dev.weft:type=Pool,name=" + name);
        Pool.io(c -> c.withName(name));            // never closed; an idle IO pool has no thread to keep it
        assertThat(SERVER.isRegistered(objectName)).isTrue();
        Await.until("the forgotten pool is collected and its bean unregistered", () -> {
            System.gc();
            Pool.io(c -> c.withName("mx-next")).close();
            return !SERVER.isRegistered(objectName);
        });
    }

    /** {@code -Ddev.weft.jmx} is true, false or unset; anything else is refused, with a message that says what to write. */
    @Test
    void theJmxSettingIsTrueOrFalse() {
        PoolBean.checkSetting(null);
        PoolBean.checkSetting("false");
        PoolBean.checkSetting("TRUE");
        assertThatThrownBy(() -> PoolBean.checkSetting("off")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-Ddev.weft.jmx=off is neither true nor false")
                .hasMessageContaining("-Ddev.weft.jmx=false");
    }

    /** Asserts the bean's queued, running, completed, failed and cancelled counts. */
    private static void assertCounts(PoolMXBean bean, long queued, long running, long completed, long failed,
                                     long cancelled) {
        assertThat(List.of(bean.getQueuedTasks(), bean.getRunningTasks(), bean.getCompletedTasks(),
                bean.getFailedTasks(), bean.getCancelledTasks()))
                .as("queued, running, completed, failed, cancelled")
                .containsExactly(queued, running, completed, failed, cancelled);
    }
}
