package dev.weft.hazelcast;

import dev.weft.Pool;
import dev.weft.SerializableRunnable;
import dev.weft.testing.PoolKind;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * The cluster pool as a kind of the core's shared pool suite: a pool on the {@link TestCluster}'s
 * three members, at most {@link PoolKind#WORKERS} tasks at once across them.
 */
public final class ClusterPoolKind {
    public static final PoolKind CLUSTER = new PoolKind("cluster", ClusterPoolKind::open, "weft-cluster-", true,
            PoolKind.Where.CLUSTER);

    private ClusterPoolKind() {
    }

    /** The kinds the suite runs on in this module: named by the system property {@value PoolKind#KINDS_PROPERTY}. */
    public static Stream<PoolKind> kinds() {
        return Stream.of(CLUSTER);
    }

    private static Pool open(UnaryOperator<Pool.Configuration> configure) {
        // Pool.Configuration has no public default; an IO pool (which starts no thread) hands it over.
        AtomicReference<Pool.Configuration> shared = new AtomicReference<>();
        Pool.io(c -> {
            shared.set(configure.apply(c.withWorkers(PoolKind.WORKERS)));
            return c;
        }).close();
        Pool.Configuration c = shared.get();
        return TestCluster.pool(p -> {
            var out = p.withWorkers(c.workers()).withWorkersPerMember(c.workers());
            if (c.name() != null) {
                out = out.withName(c.name());
            }
            if (c.initializer() != null) {
                if (!(c.initializer() instanceof SerializableRunnable serializable)) {
                    throw new IllegalArgumentException("a cluster pool's initializer must be serializable");
                }
                out = out.withInitializer(serializable);
            }
            return out;
        });
    }
}
