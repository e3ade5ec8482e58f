package com.example.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.ClusterPool;
import dev.weft.Pool;
import dev.weft.ProcessPool;
import dev.weft.SerialLimits;
import dev.weft.SerializableFunction;
import dev.weft.internal.wire.AllowList;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.InvalidClassException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * What the remote pools' deserialization filter lets through, seen from a user's package: the
 * classes a writer announced (on a process pool), the patterns configured, lambdas by the class
 * that made them, and never a class that was not announced.
 */
class SerialFilterTest {
    private static final String PROCESS_HINT = "ProcessPool.Configuration.withAllowedClasses";
    private static final AllowList.Filter PROCESS = new AllowList.Filter(AllowList.pattern(List.of()), true,
            PROCESS_HINT, "ProcessPool.Configuration.withSerialLimits");
    private static final AllowList.Filter CLUSTER = AllowList.filter(List.of());

    record Point(int x, int y) implements Serializable {
    }

    record Box(Object content) implements Serializable {
    }

    /** A user's class that the writer announced crosses a process pool's filter with no pattern. */
    @Test
    void anAnnouncedClassPassesAProcessPoolsFilter() throws Exception {
        byte[] bytes = AllowList.serialize(new Box(new Point(1, 2)));
        assertThat(AllowList.deserialize(bytes, PROCESS)).isEqualTo(new Box(new Point(1, 2)));
    }

    /** Bytes that name a class no Weft writer announced are refused, naming the class and the call that allows it. */
    @Test
    void aClassNobodyAnnouncedIsRejectedNamingTheCallThatAllowsIt() throws Exception {
        byte[] plain = plainJava(new Point(1, 2));
        assertThatThrownBy(() -> AllowList.deserialize(plain, PROCESS)).isInstanceOf(InvalidClassException.class)
                .hasMessageContaining(Point.class.getName())
                .hasMessageContaining(PROCESS_HINT + "(\"com.example.weft.**\")");
    }

    /** A stream that announces one class but holds another (a gadget spliced in) is refused for the other. */
    @Test
    void anAnnouncementCoversOnlyTheClassesItNames() throws Exception {
        byte[] spliced = withHeader(List.of(Point.class.getName()), plainJava(new Box(new Point(1, 2))));
        assertThatThrownBy(() -> AllowList.deserialize(spliced, PROCESS)).isInstanceOf(InvalidClassException.class)
                .hasMessageContaining(Box.class.getName());
        byte[] honest = withHeader(List.of(Point.class.getName(), Box.class.getName()), plainJava(new Box(new Point(1, 2))));
        assertThat(AllowList.deserialize(honest, PROCESS)).isEqualTo(new Box(new Point(1, 2)));
    }

    /** A cluster's filter trusts no announcement: only its patterns, and its message names its own call. */
    @Test
    void aClustersFilterTrustsOnlyItsPatterns() throws Exception {
        byte[] bytes = AllowList.serialize(new Point(3, 4));
        assertThatThrownBy(() -> AllowList.deserialize(bytes, CLUSTER)).isInstanceOf(InvalidClassException.class)
                .hasMessageContaining(Point.class.getName())
                .hasMessageContaining("ClusterPool.Configuration.withAllowedClasses(\"com.example.weft.**\")");
        assertThat(AllowList.deserialize(bytes, AllowList.filter(List.of(Point.class.getName()))))
                .isEqualTo(new Point(3, 4));
    }

    /** A lambda is allowed when the class that made it is: allowing exactly that class is enough. */
    @Test
    void aLambdaIsAllowedByTheClassThatMadeIt() throws Exception {
        int step = 2;
        SerializableFunction<Integer, Integer> add = x -> x + step;
        byte[] bytes = AllowList.serialize(add);
        assertThatThrownBy(() -> AllowList.deserialize(bytes, CLUSTER)).isInstanceOf(InvalidClassException.class)
                .hasMessageContaining(SerialFilterTest.class.getName());
        @SuppressWarnings("unchecked")
        SerializableFunction<Integer, Integer> back = (SerializableFunction<Integer, Integer>)
                AllowList.deserialize(bytes, AllowList.filter(List.of(SerialFilterTest.class.getName())));
        assertThat(back.apply(40)).isEqualTo(42);
        @SuppressWarnings("unchecked")
        SerializableFunction<Integer, Integer> announced = (SerializableFunction<Integer, Integer>)
                AllowList.deserialize(bytes, PROCESS);
        assertThat(announced.apply(1)).isEqualTo(3);
    }

    /** The default limits are SerialLimits' defaults; a deeper object is refused with a message naming the limits. */
    @Test
    void theDefaultLimitsAreSerialLimitsDefaults() throws Exception {
        assertThat(AllowList.DEFAULT_LIMITS).isEqualTo("maxdepth=" + SerialLimits.defaults().maxDepth()
                + ";maxrefs=" + SerialLimits.defaults().maxReferences() + ";maxarray="
                + SerialLimits.defaults().maxArrayLength() + ";maxbytes=" + SerialLimits.defaults().maxBytes());
        Object deep = "leaf";
        for (int i = 0; i < 25; i++) {
            deep = new Box(deep);
        }
        byte[] bytes = AllowList.serialize(deep);
        assertThatThrownBy(() -> AllowList.deserialize(bytes, PROCESS)).isInstanceOf(InvalidClassException.class)
                .hasMessageContaining("maxdepth=20").hasMessageContaining("ProcessPool.Configuration.withSerialLimits");
    }

    /** Bad limits are refused at the call, saying what is allowed. */
    @Test
    void badLimitsAreRejectedAtTheCall() {
        assertThatThrownBy(() -> SerialLimits.defaults().withMaxDepth(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxDepth must be at least 1");
        assertThatThrownBy(() -> SerialLimits.defaults().withMaxBytes(1L << 31))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 1073741824");
        assertThat(SerialLimits.defaults().withMaxReferences(5).maxReferences()).isEqualTo(5);
    }

    private static byte[] plainJava(Object value) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        return bytes.toByteArray();
    }

    /** {@code stream} after a header announcing {@code names}, in the form AllowList writes. */
    private static byte[] withHeader(List<String> names, byte[] stream) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(10);
            out.writeShort(names.size());
            for (String name : names) {
                out.writeUTF(name);
            }
            out.write(stream);
        }
        return bytes.toByteArray();
    }

    /**
     * Both pools' {@code withAllowedClasses} take class patterns only: a limit ({@code maxdepth=5}),
     * a rejection or two patterns in one string would change the filter's meaning, so each is refused
     * at the call, with the same words on both pools.
     */
    @Test
    void bothPoolsTakeClassPatternsOnly() {
        AtomicReference<ProcessPool.Configuration> process = new AtomicReference<>();
        Pool.processes(c -> {
            process.set(c);
            return c.withWorkers(1).withLazyStart();
        }).close();
        List<Function<String[], Object>> calls = List.of(
                patterns -> process.get().withAllowedClasses(patterns),
                patterns -> ClusterPool.Configuration.defaults().withAllowedClasses(patterns));
        for (Function<String[], Object> call : calls) {
            for (String bad : List.of("maxdepth=5", "com.example.*;java.**", "!com.example.*", " ")) {
                assertThatThrownBy(() -> call.apply(new String[] {bad})).as(bad)
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessage("'" + bad + "' is not a class pattern: give one such as com.example.**, "
                                + "com.example.* or com.example.Point per argument");
            }
            // Patterns the JDK's pattern filter refuses, refused here, at the call, with its reason.
            for (String bad : List.of("mod/", "/com.example.Point", ".*")) {
                assertThatThrownBy(() -> call.apply(new String[] {bad})).as(bad)
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageStartingWith("'" + bad + "' is not a class pattern (")
                        .hasMessageContaining("missing in: \"" + bad + "\")")
                        .hasMessageEndingWith(": give one such as com.example.**, com.example.* or com.example.Point "
                                + "per argument");
            }
            assertThatThrownBy(() -> call.apply(new String[] {"com.example.**", null}))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("pattern");
            assertThatThrownBy(() -> call.apply(null)).isInstanceOf(NullPointerException.class)
                    .hasMessageContaining("patterns");
        }
        assertThat(process.get().withAllowedClasses(" com.example.** ").allowedClasses()).containsExactly("com.example.**");
        assertThat(ClusterPool.Configuration.defaults().withAllowedClasses("com.example.Point", "com.example.*")
                .allowedClasses()).containsExactly("com.example.Point", "com.example.*");
    }
}
