package dev.weft.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.SerializableCallable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/**
 * The compact form of capturing lambdas ({@link SharedFunctions#captured(Object)}): which tasks
 * take it, and that the worker's side rebuilds each to compute what the original computes. Both
 * sides run in this JVM here; {@code com.example.weft.CapturingTasksTest} sends them through a pool.
 */
class LambdaCodecTest {
    /** The JDK's classes and Weft's (this test's among them), trusting no announcement. */
    private static final AllowList.Filter FILTER = AllowList.filter(List.of());
    private final List<Class<?>> written = new ArrayList<>();
    private final SharedFunctions parent = new SharedFunctions(written::add);

    /** What the worker makes of {@code task}: its shape registered as a worker registers it, then the LAMBDA frame. */
    private Object roundTrip(SerializableCallable<?> task) throws Throwable {
        SharedFunctions.Captured captured = parent.captured(task);
        assertThat(captured).as("a lambda whose captured values are compact").isNotNull();
        ReceivedFunctions.register(captured.shape().id(), captured.shape().bytes(),
                FILTER,
                getClass().getClassLoader());
        try {
            Callable<?> rebuilt = ReceivedFunctions.captured(captured.payload(), FILTER);
            assertThat(rebuilt).isNotSameAs(task);
            return rebuilt.call();
        } finally {
            ReceivedFunctions.forget(captured.shape().id());
        }
    }

    @Test
    void eachCompactKindOfCapturedValueComesBackAsItWas() throws Throwable {
        int i = 7;
        long l = 1L << 40;
        double d = 2.5;
        boolean b = true;
        String s = "weft";
        String none = null;
        assertThat(roundTrip(() -> i * 6)).isEqualTo(42);
        assertThat(roundTrip(() -> l + 1)).isEqualTo((1L << 40) + 1);
        assertThat(roundTrip(() -> d * 2)).isEqualTo(5.0);
        assertThat(roundTrip(() -> !b)).isEqualTo(false);
        assertThat(roundTrip(() -> s.toUpperCase())).isEqualTo("WEFT");
        assertThat(roundTrip(() -> none == null ? "null" : none)).isEqualTo("null");
        assertThat(roundTrip(() -> s + i + l + d + b + none)).isEqualTo("weft7" + (1L << 40) + "2.5truenull");
    }

    @Test
    void oneShapeServesEveryInstanceOfALambdaClass() throws Throwable {
        List<SharedFunctions.Captured> sent = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            int captured = k;
            sent.add(parent.captured((SerializableCallable<Integer>) () -> captured * 10));
        }
        assertThat(sent).extracting(c -> c.shape().id()).containsOnly(sent.get(0).shape().id());
        assertThat(sent).extracting(c -> c.payload().length).containsOnly(sent.get(0).payload().length);
        assertThat(written).as("the capturing class, told once, for a worker that must ask for its bytes")
                .containsExactly(LambdaCodecTest.class);
        ReceivedFunctions.register(sent.get(0).shape().id(), sent.get(0).shape().bytes(),
                FILTER,
                getClass().getClassLoader());
        try {
            for (int k = 0; k < 3; k++) {
                assertThat(ReceivedFunctions.captured(sent.get(k).payload(), FILTER).call()).isEqualTo(k * 10);
            }
        } finally {
            ReceivedFunctions.forget(sent.get(0).shape().id());
        }
    }

    record Point(int x, int y) implements java.io.Serializable {
    }

    @Test
    void otherTasksGoWhole() throws Exception {
        Point p = new Point(1, 2);
        char c = 'x';
        byte[] bytes = {1};
        assertThat(parent.captured((SerializableCallable<?>) () -> p.x())).as("a record").isNull();
        assertThat(parent.captured((SerializableCallable<?>) () -> c)).as("a char").isNull();
        assertThat(parent.captured((SerializableCallable<?>) () -> bytes.length)).as("an array").isNull();
        assertThat(parent.captured((SerializableCallable<?>) this::hashCode)).as("this").isNull();
        assertThat(parent.captured(new Constant())).as("a class of its own").isNull();
        Callable<Integer> notSerializable = () -> 1;
        assertThat(parent.captured(notSerializable)).isNull();
    }

    static final class Constant implements SerializableCallable<Integer> {
        @Override
        public Integer call() {
            return 1;
        }
    }

    @Test
    void aShapeThatTheCapturingClassDoesNotKnowFailsAsJavaDeserializationWould() throws Throwable {
        int k = 3;
        SharedFunctions.Captured real = parent.captured((SerializableCallable<Integer>) () -> k);
        LambdaShape shape = LambdaShape.decode(real.shape().bytes());
        LambdaShape forged = new LambdaShape(shape.capturingClass(),
                shape.functionalInterfaceClass(), shape.functionalInterfaceMethodName(),
                shape.functionalInterfaceMethodSignature(), shape.implMethodKind(), shape.implClass(),
                "lambda$noSuchMethod$0", shape.implMethodSignature(), shape.instantiatedMethodType());
        LambdaShape.Factory factory = LambdaShape.Factory.of(forged, getClass().getClassLoader());
        assertThatThrownBy(() -> factory.make(new Object[] {k})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Invalid lambda deserialization");
    }

    /**
     * A lambda that captures nothing crosses as its shape, not by Java serialization, and the
     * worker makes it once: every CALL of it gets the same instance.
     */
    @Test
    void aLambdaThatCapturesNothingCrossesAsItsShapeAndIsMadeOnce() throws Exception {
        SerializableCallable<Integer> task = () -> 6 * 7;
        SharedFunctions.Shared shared = parent.shareStateless(task);
        assertThat(shared.bytes()[0]).isEqualTo(LambdaShape.INSTANCE);
        assertThat(parent.shareStateless((SerializableCallable<Integer>) () -> 6 * 7)).as("another class")
                .isNotSameAs(shared);
        assertThat(written).as("the capturing class, for a worker that must ask for its bytes")
                .contains(LambdaCodecTest.class);
        ReceivedFunctions.register(shared.id(), shared.bytes(), FILTER, getClass().getClassLoader());
        try {
            Callable<?> first = ReceivedFunctions.called(SharedFunctions.call(shared));
            assertThat(first).isNotSameAs(task);
            assertThat(first.call()).isEqualTo(42);
            assertThat(ReceivedFunctions.called(SharedFunctions.call(shared))).isSameAs(first);
        } finally {
            ReceivedFunctions.forget(shared.id());
        }
    }

    /** A stateless task that is not a lambda still goes by Java serialization, and comes back. */
    @Test
    void aStatelessClassOfItsOwnIsSerialized() throws Exception {
        SharedFunctions.Shared shared = parent.shareStateless(new Constant());
        assertThat(shared.bytes()[0]).as("a Java serialization stream's first byte").isEqualTo((byte) 0xAC);
        assertThat(parent.shareStateless(new Constant())).as("once per class").isSameAs(shared);
        ReceivedFunctions.register(shared.id(), shared.bytes(), FILTER, getClass().getClassLoader());
        try {
            assertThat(ReceivedFunctions.called(SharedFunctions.call(shared))).isInstanceOf(Constant.class)
                    .extracting(c -> ((Constant) c).call()).isEqualTo(1);
        } finally {
            ReceivedFunctions.forget(shared.id());
        }
    }

    @Test
    void aShapeReadsBackAsItWasWrittenAndNothingElseReadsAsAShape() throws Exception {
        SerializableCallable<String> task = () -> "Größe";
        LambdaShape shape = LambdaShape.decode(parent.shareStateless(task).bytes());
        assertThat(shape.capturingClass()).isEqualTo(LambdaCodecTest.class.getName().replace('.', '/'));
        LambdaShape unusual = new LambdaShape("com/example/Größe$Ω", "java/util/concurrent/Callable", "call",
                "()Ljava/lang/Object;", 6, "com/example/Größe$Ω", "lambda$x$0", "()Ljava/lang/String;",
                "()Ljava/lang/String;");
        for (byte kind : new byte[] {LambdaShape.SHAPE, LambdaShape.INSTANCE}) {
            byte[] bytes = unusual.encode(kind);
            assertThat(LambdaShape.isShape(bytes)).isTrue();
            assertThat(LambdaShape.decode(bytes)).isEqualTo(unusual);
            byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 1);
            assertThatThrownBy(() -> LambdaShape.decode(longer)).isInstanceOf(java.io.StreamCorruptedException.class)
                    .hasMessage("a lambda shape with 1 bytes too many");
        }
        byte[] serialized = Channel.serialize(new Point(1, 2));
        assertThat(LambdaShape.isShape(serialized)).isFalse();
        assertThatThrownBy(() -> LambdaShape.decode(serialized)).isInstanceOf(java.io.StreamCorruptedException.class)
                .hasMessage("not a lambda shape: its first byte is ac");
        assertThat(LambdaShape.isShape(new byte[0])).isFalse();
    }

    /** A shape whose class the worker cannot find fails each use, naming the class. */
    @Test
    void aShapeOfAMissingClassFailsEachCall() throws Exception {
        LambdaShape missing = new LambdaShape("com/example/Missing", "java/util/concurrent/Callable", "call",
                "()Ljava/lang/Object;", 6, "com/example/Missing", "lambda$x$0", "()Ljava/lang/Object;",
                "()Ljava/lang/Object;");
        long id = Long.MAX_VALUE - 1;
        ReceivedFunctions.register(id, missing.encode(LambdaShape.INSTANCE), FILTER, getClass().getClassLoader());
        try {
            for (int i = 0; i < 2; i++) {
                assertThatThrownBy(() -> ReceivedFunctions.called(java.nio.ByteBuffer.allocate(8).putLong(id).array()))
                        .isInstanceOf(ClassNotFoundException.class).hasMessageContaining("com.example.Missing");
            }
        } finally {
            ReceivedFunctions.forget(id);
        }
    }
}
