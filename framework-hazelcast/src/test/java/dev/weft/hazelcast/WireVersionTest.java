package dev.weft.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.weft.internal.wire.WireFormat;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A task from a member of another Weft release: the member that receives it refuses it with an
 * error that names both releases and both wire formats, instead of misreading its bytes.
 */
class WireVersionTest {
    @Test
    void aTaskOfAnotherWireFormatIsRefusedNamingBothVersions() {
        var members = TestCluster.members();
        RemoteCall call = new RemoteCall("old-pool", "weft-cluster-old-pool-", "weft-wire-test", null, new byte[] {1})
                .asWrittenBy(WireFormat.VERSION + 1, "9.9.9");
        Future<byte[]> answer = members.get(0).hazelcast().<byte[]>getExecutorService("weft-wire-test")
                .submitToMember(call, members.get(1).hazelcast().getCluster().getLocalMember());
        Throwable failure = catchThrowable(() -> answer.get(30, TimeUnit.SECONDS));
        assertThat(failure).isInstanceOf(ExecutionException.class);
        assertThat(failure).rootCause().hasMessageContaining("Weft 9.9.9 (wire format " + (WireFormat.VERSION + 1) + ")")
                .hasMessageContaining("Weft " + WireFormat.release() + " (wire format " + WireFormat.VERSION + ")")
                .hasMessageContaining("run the same Weft release on every JVM");
    }
}
