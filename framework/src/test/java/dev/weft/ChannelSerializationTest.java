package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.internal.wire.AllowList;
import dev.weft.internal.wire.Channel;
import dev.weft.internal.wire.ReceivedFunctions;
import java.io.InvalidClassException;
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
    void anObjectArrayOfCompactValuesIsCompactToo() throws Exception {
        Object[] values = {1, "two", null, 3L, 4.5, true, ""};
        byte[] bytes = Channel.serialize(values);
        assertThat(bytes[0]).isNotEqualTo((byte) 0xAC);
        Object[] back = (Object[]) Channel.deserialize(bytes, FILTER);
        assertThat(back).hasSameClassAs(values).containsExactly(values);
        assertThat((Object[]) roundTrip(new Object[0])).isEmpty();
        for (Object notCompact : List.<Object>of(new String[] {"a"}, new Object[] {1, List.of()},
                new Object[] {new Object[] {1}}, new Object[] {1, new byte[] {2}})) {
            byte[] java = Channel.serialize(notCompact);
            assertThat(java[0]).as("%s goes as a Java stream", notCompact).isEqualTo((byte) 0xAC);
            assertThat(Channel.deserialize(java, FILTER)).hasSameClassAs(notCompact).isEqualTo(notCompact);
        }
        byte[] shared = {7};
        Object[] twice = (Object[]) roundTrip(new Object[] {shared, shared});
        assertThat(twice[0]).as("one array, as Java serialization keeps it").isSameAs(twice[1]);
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
                .isInstanceOf(StreamCorruptedException.class).hasMessageContaining("tag 2").hasMessageContaining("cut short");
        assertThatThrownBy(() -> Channel.deserialize(new byte[] {2, 0, 0, 0, 1, 9}, FILTER))  // one byte too many
                .isInstanceOf(StreamCorruptedException.class).hasMessageContaining("1 bytes left over");
        assertThatThrownBy(() -> Channel.deserialize(new byte[] {7, 0, 0, 0, 3, 0, 65}, FILTER))   // 3 chars, 1 there
                .isInstanceOf(StreamCorruptedException.class).hasMessageContaining("claims 3");
        assertThatThrownBy(() -> Channel.deserialize(new byte[] {9, 0x7f, 0, 0, 0}, FILTER))  // a huge array count
                .isInstanceOf(StreamCorruptedException.class).hasMessageContaining("claims");
        assertThatThrownBy(() -> AllowList.fromCompactArray(new byte[0], FILTER))
                .isInstanceOf(StreamCorruptedException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> AllowList.fromCompactArray(new byte[] {2, 0, 0, 0, 1}, FILTER))
                .isInstanceOf(StreamCorruptedException.class).hasMessageContaining("expected a compact array");
        assertThatThrownBy(() -> ReceivedFunctions.chunk(new byte[] {1, 2, 3}, FILTER))
                .isInstanceOf(StreamCorruptedException.class).hasMessageContaining("too short");
        assertThatThrownBy(() -> ReceivedFunctions.called(new byte[] {1, 2, 3}))
                .isInstanceOf(StreamCorruptedException.class).hasMessageContaining("CALL frame of 3 bytes");
    }

    /**
     * The limits hold for what crosses without a Java stream too: a compact byte[] or Object[]
     * longer than maxarray, and any payload, a long String's included, bigger than maxbytes.
     */
    @Test
    void limitsHoldForCompactValuesAndLoneStrings() throws Exception {
        AllowList.Filter small = new AllowList.Filter(AllowList.pattern("maxarray=1000;maxbytes=100000", List.of()),
                false, "ProcessPool.Configuration.withAllowedClasses", "ProcessPool.Configuration.withSerialLimits");
        assertThat((byte[]) Channel.deserialize(Channel.serialize(new byte[1000]), small)).hasSize(1000);
        assertThatThrownBy(() -> Channel.deserialize(Channel.serialize(new byte[1001]), small))
                .isInstanceOf(InvalidClassException.class).hasMessageStartingWith("[B; the stream exceeds")
                .hasMessageContaining("an array of 1001")
                .hasMessageContaining("withSerialLimits");
        Object[] many = new Object[1001];
        assertThatThrownBy(() -> Channel.deserialize(AllowList.compactArray(many), small))
                .isInstanceOf(InvalidClassException.class).hasMessageContaining("an array of 1001");
        assertThatThrownBy(() -> AllowList.fromCompactArray(AllowList.compactArray(many), small))
                .isInstanceOf(InvalidClassException.class).hasMessageContaining("an array of 1001");
        String text = "x".repeat(100_000);
        assertThatThrownBy(() -> Channel.deserialize(Channel.serialize(text), small))
                .isInstanceOf(InvalidClassException.class)
                .hasMessageStartingWith("the stream exceeds the deserialization limits");   // no class to name
        assertThat(Channel.deserialize(Channel.serialize(text), FILTER)).isEqualTo(text);
    }
}
