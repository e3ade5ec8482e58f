package dev.weft.testing;

import dev.weft.TaskScope;
import dev.weft.TaskScope.Configuration;
import dev.weft.TaskScope.Joiner;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * One way of running the subtasks of a {@link TaskScope}: the conformance suite runs each behaviour
 * test once per engine (house style, habit 9), as the JDK runs its {@code StructuredTaskScope}
 * tests over platform and virtual thread factories.
 *
 * <p>An engine is a base configuration that every scope of a test starts from, plus the thread
 * factory that tests wrap when they need to watch threads (a {@link ThreadCounter}). To add one,
 * add a constant and list it in {@link #all()}; every {@link EveryEngine} test then runs on it too.
 *
 * <p>Where the threads run is chosen once per JVM ({@link TaskScope#engine()}, the system property
 * {@code dev.weft.engine}), not per scope: module {@code framework-sts} runs the whole
 * {@code TaskScope*Test} suite again in a JVM where it is {@code sts}, each constant here included.
 * The report names each case after the constant and that engine, e.g. {@code weft-default [sts]}.
 *
 * @param name    how the engine appears in test reports
 * @param base    the configuration every scope opened through this engine starts from
 * @param threads the thread factory the engine uses, for tests that wrap it
 */
public record ScopeEngine(String name, UnaryOperator<Configuration> base, ThreadFactory threads) {

    /** Weft's own default: no thread factory configured, so virtual threads named after the scope. */
    public static final ScopeEngine DEFAULT = new ScopeEngine("weft-default",
            UnaryOperator.identity(), Thread.ofVirtual().factory());

    /** Platform threads from an explicit factory. */
    public static final ScopeEngine PLATFORM = platform(Thread.ofPlatform().factory());

    /** Virtual threads from an explicit factory. */
    public static final ScopeEngine VIRTUAL = new ScopeEngine("virtual-factory",
            c -> c.withThreadFactory(Thread.ofVirtual().factory()), Thread.ofVirtual().factory());

    public ScopeEngine {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(threads, "threads");
    }

    private static ScopeEngine platform(ThreadFactory factory) {
        return new ScopeEngine("platform-factory", c -> c.withThreadFactory(factory), factory);
    }

    /** Every engine; the argument source of {@link EveryEngine}. */
    public static Stream<ScopeEngine> all() {
        return Stream.of(DEFAULT, PLATFORM, VIRTUAL);
    }

    /** Opens a scope with the default policy (all must succeed) on this engine. */
    public <T> TaskScope<T, List<T>> open() {
        return open(Joiner.<T>allSuccessful());
    }

    /** Opens a scope with {@code joiner} on this engine. */
    public <T, R> TaskScope<T, R> open(Joiner<? super T, ? extends R> joiner) {
        return open(joiner, UnaryOperator.identity());
    }

    /**
     * Opens a scope with {@code joiner} on this engine; {@code configure} is applied after the
     * engine's base, so a test may replace the thread factory (with a wrapper of {@link #threads()}).
     */
    public <T, R> TaskScope<T, R> open(Joiner<? super T, ? extends R> joiner, UnaryOperator<Configuration> configure) {
        return TaskScope.open(joiner, c -> configure.apply(base.apply(c)));
    }

    /** Returns a new counting factory around this engine's threads. */
    public ThreadCounter counter() {
        return new ThreadCounter(threads);
    }

    @Override
    public String toString() {
        return name + " [" + TaskScope.engine() + "]";
    }
}
