package dev.weft;

import java.io.Serializable;

/**
 * A {@link Runnable} that can be sent to a worker process: what {@link ProcessPool}'s
 * {@code submit}, {@code execute} and worker initializer take. See {@link SerializableFunction}
 * for what must be serializable.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface SerializableRunnable extends Runnable, Serializable {
}
