package dev.weft.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Smoke test: the port scanner finds the sockets it opened itself, in numeric order, both ways. */
@Timeout(60)
class PortScannerTest {

    /** The three listeners of its own are reported open and marked as ours; both scans agree. */
    @Test
    void scannerFindsItsOwnListeners() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PortScanner.Scan scan = PortScanner.run(new PrintStream(bytes, true, StandardCharsets.UTF_8), 0, 1023, 3);
        String out = bytes.toString(StandardCharsets.UTF_8);

        assertThat(scan.ours()).hasSize(3);
        assertThat(scan.open()).containsAll(scan.ours()).isSorted();
        for (int port : scan.ours()) {
            assertThat(out).contains("   " + port + "  (ours)");
        }
        assertThat(out).contains("the serial scan found the same ports")
                .containsPattern("serial: \\d+ ms; concurrent \\(a virtual thread per port\\): \\d+ ms; speedup \\d+\\.\\dx")
                .contains("verdict: ");
    }
}
