package dev.weft.hazelcast;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.weft.spi.ClusterBackend;
import dev.weft.spi.ClusterProvider;

/**
 * The cluster engine of {@code Pool.cluster}: an embedded Hazelcast member; see the guide, section
 * "When one machine is not enough: the cluster pool".
 *
 * @since 0.1
 */
// Public for ServiceLoader, not for applications: the SPI it implements is exported to this module only.
@SuppressWarnings("exports")
public final class HazelcastClusterProvider implements ClusterProvider {
    /** For {@link java.util.ServiceLoader}. */
    public HazelcastClusterProvider() {
    }

    @Override
    public String name() {
        return "Hazelcast";
    }

    @Override
    public ClusterBackend open(Settings configuration, Pool pool) {
        HazelcastInstance running = configuration.memberName() == null ? null
                : Hazelcast.getHazelcastInstanceByName(configuration.memberName());
        boolean owned = running == null;
        HazelcastInstance member = owned ? Hazelcast.newHazelcastInstance(MemberConfig.of(configuration)) : running;
        try {
            return new HazelcastBackend(member, owned, configuration.durable(), pool);
        } catch (RuntimeException | Error e) {
            if (owned) {
                member.shutdown();
            }
            throw e;
        }
    }
}
