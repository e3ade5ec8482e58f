package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The core alone: Pool.cluster() says which module it needs, and the configuration checks its
 * arguments at the call. (The cluster pool itself is tested in framework-hazelcast.)
 */
class ClusterPoolWithoutEngineTest {

    /** Without weft-hazelcast on the class path, Pool.cluster() names the dependency to add. */
    @Test
    void withoutAnEngineTheErrorNamesTheModule() {
        assertThatThrownBy(Pool::cluster).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("dev.weft:weft-hazelcast");
        assertThatThrownBy(() -> Pool.cluster(c -> null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("configure returned null");
    }

    /** Each setting is checked where it is given, with a message that says what is expected. */
    @Test
    void configurationChecksItsArguments() {
        ClusterPool.Configuration c = ClusterPool.Configuration.defaults();
        assertThat(c.clusterName()).isEqualTo("weft");
        assertThat(c.host()).isEqualTo("127.0.0.1");
        assertThat(c.members()).isEmpty();
        assertThat(c.withMembers("a", "b:5702").members()).containsExactly("a", "b:5702");
        assertThatThrownBy(() -> c.withMembers("b:0")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1..65535");
        assertThat(c.withMembers(" h:5701 ", "[::1]", "[::1]:5702").members()).containsExactly("h:5701", "[::1]", "[::1]:5702");
        assertThatThrownBy(() -> c.withMembers("::1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("write an IPv6 address in brackets, as [::1] or [::1]:5701");
        for (String bad : List.of("a b:5701", ":5701", "[::1", "[::1]5701", "h:", "h:port")) {
            assertThatThrownBy(() -> c.withMembers(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("but was '" + bad + "'");
        }
        assertThatThrownBy(() -> c.withName(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> c.withTasksInFlight(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1");
        assertThatThrownBy(() -> c.withAllowedClasses("!com.example.*")).isInstanceOf(IllegalArgumentException.class);
        assertThat(c.withMemberTimeout(Duration.ofSeconds(2)).memberTimeout()).isEqualTo(Duration.ofSeconds(2));
    }
}
