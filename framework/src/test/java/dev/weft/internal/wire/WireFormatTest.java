package dev.weft.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The version header of what crosses between JVMs, and the errors of a mismatch. */
class WireFormatTest {
    @Test
    void theReleaseIsTheBuildsVersion() {
        assertThat(WireFormat.release()).as("written by the build's resource filtering").matches("\\d+\\.\\d+\\.\\d+.*");
    }

    @Test
    void sealedBytesOpenAsTheyWere() throws IOException {
        byte[] payload = {0, 1, 2, (byte) 0xAC, (byte) 0xED};
        assertThat(WireFormat.open(WireFormat.seal(payload), "a test")).containsExactly(payload);
        assertThat(WireFormat.open(WireFormat.seal(new byte[0]), "a test")).isEmpty();
    }

    @Test
    void anotherVersionIsRefusedNamingBoth() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            WireFormat.writeHeader(out, WireFormat.VERSION + 1, "9.9.9");
            out.write(new byte[] {1, 2, 3});
        }
        assertThatThrownBy(() -> WireFormat.open(bytes.toByteArray(), "a task from member 10.0.0.5:5701"))
                .isInstanceOf(WireVersionException.class)
                .hasMessage("a task from member 10.0.0.5:5701 was written by Weft 9.9.9 (wire format "
                        + (WireFormat.VERSION + 1) + "), and this JVM runs Weft " + WireFormat.release()
                        + " (wire format " + WireFormat.VERSION + "): run the same Weft release on every JVM that "
                        + "works together");
    }

    @Test
    void bytesWithoutAHeaderAreRefusedAsAnOlderWeftsOrSomethingElse() {
        byte[] javaStream = {(byte) 0xAC, (byte) 0xED, 0, 5};
        assertThatThrownBy(() -> WireFormat.open(javaStream, "the outcome a member sent back"))
                .isInstanceOf(WireVersionException.class)
                .hasMessageStartingWith("the outcome a member sent back has no Weft version header (it starts with 0xaced)")
                .hasMessageContaining("older than 0.1.0");
        assertThatThrownBy(() -> WireFormat.open(new byte[] {1}, "a task")).isInstanceOf(WireVersionException.class)
                .hasMessage("a task is too short to be a Weft envelope");
    }
}
