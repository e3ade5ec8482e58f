package dev.weft;

import java.io.Serializable;
import java.util.function.Function;

/**
 * A {@link Function} that can be sent to a worker process: what {@link ProcessPool}'s
 * {@code map}, {@code imap} and {@code apply} take. A lambda or method reference becomes
 * serializable when this is its target type, so {@code pool.map(x -> x * 2, items)} on a
 * {@code ProcessPool} just works; the function's captured values, and the items and results, must
 * be serializable too, and their classes allowed by the pool's filter
 * ({@link ProcessPool.Configuration#withAllowedClasses}). Python: a picklable module-level function.
 *
 * @param <A> the argument type
 * @param <R> the result type
 * @since 0.1
 */
@FunctionalInterface
public interface SerializableFunction<A, R> extends Function<A, R>, Serializable {
}
