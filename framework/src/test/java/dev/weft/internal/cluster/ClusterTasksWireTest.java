package dev.weft.internal.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.internal.wire.AllowList;
import dev.weft.internal.wire.StandIn;
import dev.weft.internal.wire.WireFormat;
import dev.weft.internal.wire.WireVersionException;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** What a member sends back: the wire format's version, and the stand-in of what it could not serialize. */
class ClusterTasksWireTest {
    @Test
    void anOutcomeOfAnotherVersionIsRefused() throws IOException {
        byte[] outcome = new ClusterTasks.Outcome(ClusterTasks.RESULT, AllowList.serialize(42), "member m", false)
                .encode();
        assertThat(ClusterTasks.Outcome.decode(outcome).payload()).isEqualTo(AllowList.serialize(42));
        outcome[5] ^= 0x7f;         // the version's last byte, after the magic's two
        assertThatThrownBy(() -> ClusterTasks.Outcome.decode(outcome)).isInstanceOf(WireVersionException.class)
                .hasMessageContaining("the outcome a member sent back was written by Weft " + WireFormat.release());
    }

    /** A result comes back byte for byte as {@code Outcome.encode} writes it, the first time and after. */
    @Test
    void aResultIsWrittenAsAnOutcomeEncodesIt() throws IOException {
        byte[] task = AllowList.serialize((java.util.concurrent.Callable<Object> & java.io.Serializable) () -> 42);
        byte[] expected = new ClusterTasks.Outcome(ClusterTasks.RESULT, AllowList.serialize(42),
                "member host:5701 (thread weft-cluster-q-1)", false).encode();
        for (int i = 0; i < 2; i++) {
            assertThat(ClusterTasks.call("id-1", "host:5701", "q", "weft-cluster-q-", "exec-q", null, task,
                    AllowList.filter(java.util.List.of()), null)).as("outcome %d", i).isEqualTo(expected);
        }
    }

    /** A result that cannot be serialized comes back as its stand-in: the words, and a failure instead of a result. */
    @Test
    void aResultThatCannotBeSerializedComesBackAsItsStandIn() throws IOException {
        byte[] sent = ClusterTasks.call("id-1", "host:5701", "p", "weft-cluster-p-", "exec", null,
                AllowList.serialize((java.util.concurrent.Callable<Object> & java.io.Serializable) Object::new),
                AllowList.filter(java.util.List.of()), null);
        ClusterTasks.Outcome outcome = ClusterTasks.Outcome.decode(sent);
        assertThat(outcome.kind()).isEqualTo(ClusterTasks.FAILURE);
        assertThat(outcome.standIn()).isTrue();
        assertThat(outcome.where()).isEqualTo("member host:5701 (thread weft-cluster-p-1)");
        StandIn standIn = outcome.readStandIn();
        assertThat(standIn.className()).isEqualTo("java.io.NotSerializableException");
        assertThat(standIn.message()).startsWith("the task's result, of class java.lang.Object, could not be serialized");
    }

    /** A stand-in crosses whole: class name, words and stack trace; words too long to write are cut, not refused. */
    @Test
    void aStandInCrossesWhole() throws IOException {
        IllegalStateException thrown = new IllegalStateException("x".repeat(70_000));
        StandIn standIn = StandIn.of(thrown, new java.io.NotSerializableException("Thread"));
        var bytes = new java.io.ByteArrayOutputStream();
        standIn.write(new java.io.DataOutputStream(bytes));
        StandIn read = StandIn.read(new java.io.DataInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray())));
        assertThat(read.className()).isEqualTo(IllegalStateException.class.getName());
        assertThat(read.message()).startsWith("xxx").endsWith("\u2026").hasSizeLessThan(70_000);
        assertThat(read.stack()).extracting(StackTraceElement::getClassName, StackTraceElement::getMethodName,
                StackTraceElement::getLineNumber).containsExactly(java.util.Arrays.stream(thrown.getStackTrace())
                .map(e -> org.assertj.core.groups.Tuple.tuple(e.getClassName(), e.getMethodName(), e.getLineNumber()))
                .toArray(org.assertj.core.groups.Tuple[]::new));
    }
}
