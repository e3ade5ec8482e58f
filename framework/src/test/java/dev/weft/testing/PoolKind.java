package dev.weft.testing;

import dev.weft.Pool;
import dev.weft.Pool.Configuration;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * One kind of {@link Pool}: the pool conformance suite runs each shared behaviour once per kind
 * (house style, habit 9). To add a kind (the process pool of a later issue), add a constant and
 * list it in {@link #all()}; every {@link EveryPool} test then runs on it too.
 *
 * @param name       how the kind appears in test reports
 * @param opener     opens a pool of this kind from a configuration change
 * @param threadName the prefix of its worker threads' names when the pool is named {@code NAME}
 * @param bounded    whether tasks beyond {@link #WORKERS} wait for a worker
 */
public record PoolKind(String name, Function<UnaryOperator<Configuration>, Pool> opener, String threadName,
                       boolean bounded) {
    /** The worker count of the bounded kinds. */
    public static final int WORKERS = 3;

    public static final PoolKind IO = new PoolKind("io-unbounded", Pool::io, "weft-io-", false);
    public static final PoolKind IO_BOUNDED = new PoolKind("io-bounded",
            c -> Pool.io(x -> c.apply(x.withWorkers(WORKERS))), "weft-io-", true);
    public static final PoolKind CPU = new PoolKind("cpu",
            c -> Pool.cpu(x -> c.apply(x.withWorkers(WORKERS))), "weft-cpu-", true);

    public PoolKind {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(opener, "opener");
    }

    /** Every kind; the argument source of {@link EveryPool}. */
    public static Stream<PoolKind> all() {
        return Stream.of(IO, IO_BOUNDED, CPU);
    }

    /** Opens a pool of this kind with the default configuration. */
    public Pool open() {
        return open(UnaryOperator.identity());
    }

    /** Opens a pool of this kind; {@code configure} is applied after the kind's own settings. */
    public Pool open(UnaryOperator<Configuration> configure) {
        return opener.apply(configure);
    }

    @Override
    public String toString() {
        return name;
    }
}
