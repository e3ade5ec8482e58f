package com.example.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.ClusterPool;
import dev.weft.Futures;
import dev.weft.Pool;
import dev.weft.ProcessPool;
import dev.weft.ReturnWhen;
import dev.weft.SettableFuture;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The API's configurations and the values that will gain fields, as a user sees them: final
 * classes with no public constructor and no record pattern to break, whose {@code with} methods
 * check as before, and which compare, hash and print as the records they replace did.
 */
class ApiValuesTest {

    /** None of the types that will grow is a record or has a public constructor. */
    @Test
    void theTypesThatWillGrowAreFinalClassesWithoutPublicConstructors() {
        for (Class<?> type : List.of(ProcessPool.Configuration.class, ClusterPool.Configuration.class,
                Pool.Worker.class, ClusterPool.Member.class, Futures.Waited.class)) {
            assertThat(type.isRecord()).as(type.getName()).isFalse();
            assertThat(type.getConstructors()).as(type.getName()).isEmpty();
            assertThat(java.lang.reflect.Modifier.isFinal(type.getModifiers())).as(type.getName()).isTrue();
        }
    }

    /** A process pool configuration is a value: equal settings give equal, equally hashed configurations. */
    @Test
    void processPoolConfigurationsWithTheSameSettingsAreEqual() throws Exception {
        AtomicReference<ProcessPool.Configuration> base = new AtomicReference<>();
        Pool.processes(c -> {
            base.set(c);
            return c.withWorkers(1).withLazyStart();
        }).close();
        ProcessPool.Configuration a = base.get().withName("p").withWorkers(2).withJvmArgs("-Xss2m")
                .withEnvironment("A", "1").withAllowedClasses("com.example.**").withIdleSpin(Duration.ZERO);
        ProcessPool.Configuration b = base.get().withName("p").withWorkers(2).withJvmArgs("-Xss2m")
                .withEnvironment("A", "1").withAllowedClasses("com.example.**").withIdleSpin(Duration.ZERO);
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(b.withWorkers(3));
        assertThat(a.workers()).isEqualTo(2);
        assertThat(a.jvmArgs()).containsExactly("-Xss2m");
        assertThat(a.environment()).containsEntry("A", "1");
        assertThat(a.idleSpin()).isZero();
        assertThat(base.get().workers()).as("with methods return copies").isZero();
        assertThat(a.toString()).startsWith("Configuration[name=p, workers=2, initializer=null, ")
                .contains("jvmArgs=[-Xss2m]", "environment={A=1}", "afterDeath=REPLACE", "idleSpin=PT0S")
                .endsWith("]");
    }

    /** The checks of a process pool configuration say what they did before it was a class. */
    @Test
    void processPoolConfigurationKeepsItsChecks() {
        AtomicReference<ProcessPool.Configuration> base = new AtomicReference<>();
        Pool.processes(c -> {
            base.set(c);
            return c.withWorkers(1).withLazyStart();
        }).close();
        ProcessPool.Configuration c = base.get();
        assertThatThrownBy(() -> c.withIdleSpin(Duration.ofMillis(11))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("idleSpin must be between 0 and 10 ms, but was PT0.011S; Duration.ZERO lets an idle "
                        + "worker sleep at once");
        assertThatThrownBy(() -> c.withIdleSpin(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("idleSpin");
        assertThatThrownBy(() -> c.withWorkers(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a pool needs at least 1 worker, but was given 0");
        assertThatThrownBy(() -> c.withHeap("lots")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("such as 512m or 2g");
        assertThatThrownBy(() -> c.withJvmArgs(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> c.withAfterDeath(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("policy");
    }

    /** A cluster pool configuration is a value too, and keeps its checks. */
    @Test
    void clusterPoolConfigurationsWithTheSameSettingsAreEqual() {
        ClusterPool.Configuration d = ClusterPool.Configuration.defaults();
        ClusterPool.Configuration a = d.withName("c").withPort(6000).withMembers("h:6001").withWorkersPerMember(2);
        ClusterPool.Configuration b = d.withName("c").withPort(6000).withMembers("h:6001").withWorkersPerMember(2);
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(b.withDurable(true)).isNotEqualTo(d);
        assertThat(a.port()).isEqualTo(6000);
        assertThat(a.members()).containsExactly("h:6001");
        assertThat(d.port()).as("with methods return copies").isEqualTo(5701);
        assertThat(a.toString()).isEqualTo("Configuration[name=c, clusterName=weft, host=127.0.0.1, port=6000, "
                + "members=[h:6001], workers=0, workersPerMember=2, tasksInFlight=0, initializer=null, durable=false, "
                + "allowedClasses=[], memberTimeout=PT10S, memberName=null]");
        assertThatThrownBy(() -> d.withPort(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("port must be 1..65535, but was 0");
        assertThatThrownBy(() -> d.withMemberTimeout(Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 2 seconds");
    }

    /** A worker crosses between JVMs: it serializes with a fixed version and comes back equal. */
    @Test
    void aWorkerIsSerializableAndComparesByItsFields() throws Exception {
        try (Pool pool = Pool.cpu(c -> c.withName("values").withWorkers(1))) {
            Pool.Worker w = pool.submit(() -> Pool.currentWorker().orElseThrow()).get();
            assertThat(w.pool()).isEqualTo("values");
            assertThat(w.index()).isEqualTo(1);
            assertThat(w.pid()).isEqualTo(ProcessHandle.current().pid());
            assertThat(roundTrip(w)).isEqualTo(w).hasSameHashCodeAs(w);
            assertThat(w.toString()).isEqualTo("Worker[pool=values, index=1, threadName=" + w.threadName()
                    + ", pid=" + w.pid() + "]");
            assertThat(ObjectStreamClass.lookup(Pool.Worker.class).getSerialVersionUID()).isEqualTo(1L);
        }
    }

    /** A member serializes with a fixed version, comes back equal, and prints as a record did. */
    @Test
    void aMemberIsSerializableAndComparesByItsFields() throws Exception {
        ClusterPool.Member m = ClusterPool.Member.of("id-1", "10.0.0.1:5701", true);
        assertThat(roundTrip(m)).isEqualTo(m).hasSameHashCodeAs(m);
        assertThat(m).isNotEqualTo(ClusterPool.Member.of("id-1", "10.0.0.1:5701", false));
        assertThat(m.toString()).isEqualTo("Member[id=id-1, address=10.0.0.1:5701, local=true]");
        assertThat(ObjectStreamClass.lookup(ClusterPool.Member.class).getSerialVersionUID()).isEqualTo(1L);
        assertThatThrownBy(() -> ClusterPool.Member.of(null, "h:1", false)).isInstanceOf(NullPointerException.class)
                .hasMessage("id");
    }

    /** What Futures.wait returns compares by its two sets and prints them. */
    @Test
    void waitedComparesByItsSets() throws Exception {
        SettableFuture<String> done = SettableFuture.create();
        done.complete("x");
        SettableFuture<String> notDone = SettableFuture.create();
        Futures.Waited<SettableFuture<String>> a = Futures.wait(List.of(done, notDone), ReturnWhen.FIRST_COMPLETED);
        Futures.Waited<SettableFuture<String>> b = Futures.wait(List.of(done, notDone), ReturnWhen.FIRST_COMPLETED, Duration.ZERO);
        assertThat(a.done()).containsExactly(done);
        assertThat(a.notDone()).containsExactly(notDone);
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a.toString()).isEqualTo("Waited[done=[" + done + "], notDone=[" + notDone + "]]");
        assertThatThrownBy(() -> a.done().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @SuppressWarnings("unchecked")
    private static <T extends Serializable> T roundTrip(T value) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }
}
