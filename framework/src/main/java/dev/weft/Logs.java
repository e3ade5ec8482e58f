package dev.weft;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Weft's loggers, each made the first time it is used. A logger in a static field starts SLF4J
 * (its provider lookup, about 14 ms in a cold JVM) when its class initializes, which for
 * {@link TaskFuture} or {@code PoolBean} is on the way to every pool's first task. Weft logs only
 * where something went wrong, and at debug level the engine the first scope runs on, so a process
 * pool's first task starts SLF4J in neither the parent nor the worker.
 */
final class Logs {
    private Logs() {
    }

    /** The pools' logger, named after {@link Pool}: what a pool could not do for a task or a callback. */
    static Logger pool() {
        return PoolLogger.LOG;
    }

    /** {@link TaskFuture}'s logger: a callback that threw. */
    static Logger futures() {
        return FutureLogger.LOG;
    }

    /** {@link Engines}' logger: which engine scopes run on, at debug level. */
    static Logger engines() {
        return EngineLogger.LOG;
    }

    private static final class PoolLogger {
        static final Logger LOG = LoggerFactory.getLogger(Pool.class);
    }

    private static final class FutureLogger {
        static final Logger LOG = LoggerFactory.getLogger(TaskFuture.class);
    }

    private static final class EngineLogger {
        static final Logger LOG = LoggerFactory.getLogger(Engines.class);
    }
}
