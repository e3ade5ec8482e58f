package dev.weft.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.testing.NullArguments;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The null policy that package-info states for the wire's codec: every public method throws
 * {@link NullPointerException} for a null argument, except those whose javadoc says null means
 * something.
 */
class WireNullPolicyTest {

    /** The parameters that accept null on purpose ({@code DeclaringType.method#index}); each says so. */
    private static final Set<String> MAY_BE_NULL = Set.of(
            "AllowList.serialize#0",        // a null value (a task's null result) has a compact form
            "AllowList.serialize#1",        // no listener for the classes written
            "AllowList.deserialize#2");     // no class loader of its own

    /** AllowList, its Filter and WireFormat refuse null where they do not say otherwise. */
    @Test
    void theCodecRefusesNullUnlessItSaysOtherwise() throws Exception {
        NullArguments nulls = new NullArguments(MAY_BE_NULL).with(Set.class, Set::of)
                .with(ObjectInputFilter.FilterInfo.class, () -> new AllowList.ClassOnly(String.class))
                .with(DataOutput.class, () -> new DataOutputStream(new ByteArrayOutputStream()))
                .with(DataInput.class, WireNullPolicyTest::aHeader);
        nulls.check(AllowList.class, null);
        nulls.check(AllowList.Filter.class, AllowList.filter(List.of()));
        nulls.check(WireFormat.class, null);
        assertThat(nulls.checked).as("calls made").hasSizeGreaterThan(10);
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
