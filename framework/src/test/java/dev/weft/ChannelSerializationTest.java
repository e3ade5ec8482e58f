package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.spi.AllowList;
import java.io.ObjectInputFilter;
import java.io.StreamCorruptedException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The bytes tasks and outcomes cross in: the compact form of the commonest values, and Java
 * serialization for the rest, both read back exactly.
 */
class ChannelSerializationTest {
    private static final ObjectInputFilter FILTER = AllowList.filter(List.of());

    private static Object roundTrip(Object value) throws Exception {
        return Channel.deserialize(Channel.serialize(value), FILTER);
    }

    @Test
    void compactValuesComeBackExactly() throws Exception {
        String unpaired = "a\uD800b";                       // no valid UTF-8 form: UTF-16 keeps it
        List<Object> values = Arrays.asList(null, 0, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, Long.MIN_VALUE, 7L,
                0.0, -0.0, Double.NaN, Double.NEGATIVE_INFINITY, 1e-300, true, false, "", "héllo wörld ✓", unpaired,
                "x".repeat(4096));
        for (Object value : values) {
            byte[] bytes = Channel.serialize(value);
            assertThat(bytes[0]).as("%s takes the compact form", value).isNotEqualTo((byte) 0xAC);
            Object back = Channel.deserialize(bytes, FILTER);
            assertThat(back).as("%s", value).isEqualTo(value);
            if (value != null) {
                assertThat(back).hasSameClassAs(value);
            }
        }
        assertThat(Double.doubleToRawLongBits((Double) roundTrip(-0.0))).isEqualTo(Double.doubleToRawLongBits(-0.0));
        assertThat((byte[]) roundTrip(new byte[] {1, -2, 3})).containsExactly(1, -2, 3);
        assertThat((byte[]) roundTrip(new byte[0])).isEmpty();
    }

    @Test
    void everythingElseGoesByJavaSerialization() throws Exception {
        List<Object> values = List.of("y".repeat(5000), List.of(1, 2), Map.of("a", 1L), new ArrayList<>(List.of("z")),
                (short) 3, 'c', 2.5f, new int[] {1});
        for (Object value : values) {
            byte[] bytes = Channel.serialize(value);
            assertThat(bytes[0]).as("%s goes as a Java stream", value).isEqualTo((byte) 0xAC);
            Object back = Channel.deserialize(bytes, FILTER);
            if (value instanceof int[] ints) {
                assertThat((int[]) back).isEqualTo(ints);
            } else {
                assertThat(back).isEqualTo(value).hasSameClassAs(value);
            }
        }
    }

    @Test
    void bytesThatAreNeitherFormAreReportedNotMisread() {
        assertThatThrownBy(() -> Channel.deserialize(new byte[] {99, 1, 2}, FILTER))
                .isInstanceOf(StreamCorruptedException.class).hasMessageContaining("tag 99");
        assertThatThrownBy(() -> Channel.deserialize(new byte[] {2, 1, 2}, FILTER))       // an int of 2 bytes
                .isInstanceOf(StreamCorruptedException.class).hasMessageContaining("2 bytes");
        assertThatThrownBy(() -> Channel.deserialize(new byte[] {7, 0, 65, 0}, FILTER))   // odd UTF-16
                .isInstanceOf(StreamCorruptedException.class);
    }
}
