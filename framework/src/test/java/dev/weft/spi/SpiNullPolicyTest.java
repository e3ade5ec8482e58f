package dev.weft.spi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.testing.NullArguments;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The null policy that package-info states for the SPI's classes: every public method throws
 * {@link NullPointerException} for a null argument, except those whose javadoc says null means
 * something.
 */
class SpiNullPolicyTest {

    /** The parameters that accept null on purpose ({@code DeclaringType.method#index}); each says so. */
    private static final Set<String> MAY_BE_NULL = Set.of(
            "ClusterTasks.call#4");         // no initializer

    /** ClusterTasks and WireFormat refuse null where they do not say otherwise. */
    @Test
    void theClassesRefuseNullUnlessTheySayOtherwise() throws Exception {
        NullArguments nulls = new NullArguments(MAY_BE_NULL)
                .with(DataOutput.class, () -> new DataOutputStream(new ByteArrayOutputStream()))
                .with(DataInput.class, SpiNullPolicyTest::aHeader);
        nulls.check(ClusterTasks.class, null);
        nulls.check(WireFormat.class, null);
        assertThat(nulls.checked).as("calls made").hasSizeGreaterThan(5);
        assertThat(nulls.accepted).as("methods that accept null without saying so").isEmpty();
    }

    private static DataInput aHeader() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            WireFormat.writeHeader(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
    }
}
