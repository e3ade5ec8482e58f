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
        LambdaShape shape = (LambdaShape) Channel.deserialize(real.shape().bytes(),
                FILTER);
        LambdaShape forged = new LambdaShape(shape.capturingClass(),
                shape.functionalInterfaceClass(), shape.functionalInterfaceMethodName(),
                shape.functionalInterfaceMethodSignature(), shape.implMethodKind(), shape.implClass(),
                "lambda$noSuchMethod$0", shape.implMethodSignature(), shape.instantiatedMethodType());
        LambdaShape.Factory factory = LambdaShape.Factory.of(forged, getClass().getClassLoader());
        assertThatThrownBy(() -> factory.make(new Object[] {k})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Invalid lambda deserialization");
    }
}
