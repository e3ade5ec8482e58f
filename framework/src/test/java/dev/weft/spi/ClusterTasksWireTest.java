package dev.weft.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.internal.wire.AllowList;
import dev.weft.internal.wire.WireFormat;
import dev.weft.internal.wire.WireVersionException;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** A cluster task's outcome carries the wire format's version, and one of another version is refused. */
class ClusterTasksWireTest {
    @Test
    void anOutcomeOfAnotherVersionIsRefused() throws IOException {
        byte[] outcome = new ClusterTasks.Outcome(ClusterTasks.RESULT, AllowList.serialize(42), "member m").encode();
        assertThat(ClusterTasks.Outcome.decode(outcome).payload()).isEqualTo(AllowList.serialize(42));
        outcome[5] ^= 0x7f;         // the version's last byte, after the magic's two
        assertThatThrownBy(() -> ClusterTasks.Outcome.decode(outcome)).isInstanceOf(WireVersionException.class)
                .hasMessageContaining("the outcome a member sent back was written by Weft " + WireFormat.RELEASE);
    }
}
