package dev.weft.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.spi.ClusterProvider;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a pool's settings become a member's configuration, and the settings refused on the way. */
class MemberConfigTest {

    private static ClusterProvider.Settings settings(String host, Duration memberTimeout) {
        return new ClusterProvider.Settings("weft-config-test", host, 5801, List.of(), List.of(), memberTimeout,
                null, false);
    }

    /**
     * A host that is not this machine's is refused with a message that says so and names this
     * machine's addresses, not with Hazelcast's "No matching network interface" once the member starts.
     */
    @Test
    void aHostThatIsNotThisMachinesIsRefused() {
        assertThatThrownBy(() -> MemberConfig.of(settings("192.0.2.1", Duration.ofSeconds(10))))   // TEST-NET-1
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the cluster host '192.0.2.1' (192.0.2.1) is not an address of this machine")
                .hasMessageContaining("127.0.0.1")
                .hasMessageContaining("withHost");
        assertThat(MemberConfig.of(settings("localhost", Duration.ofSeconds(10))).getNetworkConfig().getPublicAddress())
                .isIn("127.0.0.1", "0:0:0:0:0:0:0:1");
    }

    /** The member timeout is counted in whole seconds, a fraction rounded up, never down. */
    @Test
    void aMemberTimeoutIsRoundedUpToWholeSeconds() {
        assertThat(MemberConfig.of(settings("127.0.0.1", Duration.ofMillis(2500)))
                .getProperty("hazelcast.max.no.heartbeat.seconds")).isEqualTo("3");
        assertThat(MemberConfig.of(settings("127.0.0.1", Duration.ofSeconds(4)))
                .getProperty("hazelcast.max.no.heartbeat.seconds")).isEqualTo("4");
    }
}
