package com.example.weft;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Smoke test: the port scanner finds the sockets it opened itself, in numeric order, both ways. */
@Timeout(60)
class PortScannerTest {

    /** The three listeners of its own are reported open and marked as ours; both scans agree. */
    @Test
    void scannerFindsItsOwnListeners() throws Exception {
        CapturedOutput captured = new CapturedOutput();
        PortScanner.Scan scan = PortScanner.run(captured.out, 0, 1023, 3);
        String out = captured.text();

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
