package dev.weft.hazelcast;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.weft.ClusterPool;
import dev.weft.spi.ClusterProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;

/**
 * A cluster member that only serves: it runs the tasks of the cluster's pools and submits none.
 * Start one per machine (or several on one, on loopback) with the same configuration as the pools:
 *
 * <pre>{@code
 * java $HAZELCAST_FLAGS -cp APP_CLASS_PATH dev.weft.hazelcast.ClusterMember --members 10.0.0.1,10.0.0.2 --host 10.0.0.3
 * }</pre>
 *
 * or from code with {@link #start}. The members of a cluster need the same classes on their class
 * paths: those of the tasks they run.
 *
 * @since 0.1
 */
public final class ClusterMember implements AutoCloseable {
    private final HazelcastInstance member;

    private ClusterMember(HazelcastInstance member) {
        this.member = member;
    }

    /**
     * Starts a serving member with {@code configuration}'s cluster name, host, port, members,
     * allowed classes, member timeout and member name (the pool settings are ignored).
     *
     * @param configuration the member's settings, as a pool's configuration holds them
     * @return the member, started: it has joined the cluster at the configured members, or formed
     *         one of its own if none answered
     * @throws IllegalArgumentException if the configured host is not a known host name or address
     */
    public static ClusterMember start(ClusterPool.Configuration configuration) {
        Objects.requireNonNull(configuration, "configuration");
        return new ClusterMember(Hazelcast.newHazelcastInstance(MemberConfig.of(new ClusterProvider.Settings(
                configuration.clusterName(), configuration.host(), configuration.port(), configuration.members(),
                configuration.allowedClasses(), configuration.memberTimeout(), configuration.memberName(),
                configuration.durable()))));
    }

    /** {@return this member, as pools see it} */
    public ClusterPool.Member member() {
        com.hazelcast.cluster.Member local = member.getCluster().getLocalMember();
        return ClusterPool.Member.of(local.getUuid().toString(), HazelcastBackend.address(local), true);
    }

    /** {@return the Hazelcast member itself} */
    public HazelcastInstance hazelcast() {
        return member;
    }

    /** Leaves the cluster gracefully: the tasks it runs finish or fail, as Hazelcast decides. */
    @Override
    public void close() {
        member.shutdown();
    }

    /**
     * Runs a serving member until the JVM is stopped. Options: {@code --cluster NAME},
     * {@code --host ADDRESS}, {@code --port N}, {@code --members A,B,...},
     * {@code --allow PATTERN,...}, {@code --member-timeout SECONDS}. It prints one line,
     * {@code member ADDRESS ready}, once it has joined.
     *
     * @param args the options, each followed by its value
     * @throws IllegalArgumentException if an option is unknown or has no value, or a value is not
     *         what the option takes
     * @throws InterruptedException if the thread that runs it is interrupted: it stops waiting,
     *         and leaves the member running
     */
    public static void main(String[] args) throws InterruptedException {
        ClusterMember m = start(parse(args));
        System.out.println("member " + m.member().address() + " ready (cluster of " + m.hazelcast().getCluster()
                .getMembers().size() + ")");
        new CountDownLatch(1).await();
    }

    static ClusterPool.Configuration parse(String[] args) {
        List<String> rest = new ArrayList<>(List.of(args));
        ClusterPool.Configuration config = ClusterPool.Configuration.defaults();
        for (int i = 0; i < rest.size(); i++) {
            String option = rest.get(i);
            if (i + 1 >= rest.size()) {
                throw new IllegalArgumentException("option " + option + " needs a value; see ClusterMember's javadoc");
            }
            String value = rest.get(++i);
            config = switch (option) {
                case "--cluster" -> config.withClusterName(value);
                case "--host" -> config.withHost(value);
                case "--port" -> config.withPort(Integer.parseInt(value));
                case "--members" -> config.withMembers(value.split(","));
                case "--allow" -> config.withAllowedClasses(value.split(","));
                case "--member-timeout" -> config.withMemberTimeout(java.time.Duration.ofSeconds(Long.parseLong(value)));
                default -> throw new IllegalArgumentException("unknown option " + option + "; the options are --cluster, "
                        + "--host, --port, --members, --allow and --member-timeout");
            };
        }
        return config;
    }
}
