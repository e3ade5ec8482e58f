package dev.weft.hazelcast;

import dev.weft.ClusterPool;
import java.util.List;

/**
 * The tests' cluster: three members in this JVM on loopback, started once and shared by every
 * test, so that a test's pool joins a running member instead of starting one (seconds each).
 */
final class TestCluster {
    /** The first port; the members take the next ones. Away from Hazelcast's default 5701. */
    static final int PORT = 5901;
    static final String CLUSTER = "weft-tests";
    /** The member the tests' pools use; its two peers serve. */
    static final String MEMBER = "weft-test-1";

    private static List<ClusterMember> members;

    private TestCluster() {
    }

    /** The configuration every test member and pool starts from: this cluster, on loopback. */
    static ClusterPool.Configuration config() {
        return ClusterPool.Configuration.defaults().withClusterName(CLUSTER).withPort(PORT)
                .withMembers("127.0.0.1:" + PORT, "127.0.0.1:" + (PORT + 1), "127.0.0.1:" + (PORT + 2))
                .withMemberTimeout(java.time.Duration.ofSeconds(5));
    }

    /** Starts the three members, once. */
    static synchronized List<ClusterMember> members() {
        if (members == null) {
            members = List.of(
                    ClusterMember.start(config().withMemberName(MEMBER)),
                    ClusterMember.start(config().withMemberName("weft-test-2")),
                    ClusterMember.start(config().withMemberName("weft-test-3")));
        }
        return members;
    }

    /** A pool on the shared cluster, configured by {@code configure} after the cluster settings. */
    static ClusterPool pool(java.util.function.UnaryOperator<ClusterPool.Configuration> configure) {
        members();
        return dev.weft.Pool.cluster(c -> configure.apply(config().withMemberName(MEMBER)));
    }
}
