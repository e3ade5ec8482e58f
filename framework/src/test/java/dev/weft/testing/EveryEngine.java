package dev.weft.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs a test method once per {@link ScopeEngine}; the method takes the engine as its parameter.
 *
 * <pre>{@code
 * @EveryEngine
 * void forkRunnableHasNullResult(ScopeEngine engine) throws Exception { ... }
 * }</pre>
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedTest(name = "{0}")
@MethodSource("dev.weft.testing.ScopeEngine#all")
public @interface EveryEngine {
}
