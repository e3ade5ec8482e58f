package dev.weft;

import java.io.Serializable;
import java.util.concurrent.Callable;

/**
 * A {@link Callable} that can be sent to a worker process: what {@link ProcessPool}'s
 * {@code submit} and {@code apply} take. See {@link SerializableFunction} for what must be
 * serializable.
 *
 * @param <T> the result type
 * @since 0.1
 */
@FunctionalInterface
public interface SerializableCallable<T> extends Callable<T>, Serializable {
}
