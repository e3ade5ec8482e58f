package dev.weft.sts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.TaskScope;
import org.junit.jupiter.api.Test;

/**
 * This module's test JVM runs with {@code --enable-preview -Ddev.weft.engine=sts}: every scope of
 * the conformance suite that runs here is on the sts engine, or the suite would prove nothing.
 */
class StsSelectionTest {

    /** The engine of this JVM is sts, and the provider agrees that it can run here. */
    @Test
    void thisJvmRunsTheStsEngine() {
        assertThat(TaskScope.engine()).isEqualTo("sts");
        assertThat(new StsEngineProvider().unavailableReason()).isNull();
        assertThat(StsEngineProvider.previewEnabled()).isTrue();
    }
}
