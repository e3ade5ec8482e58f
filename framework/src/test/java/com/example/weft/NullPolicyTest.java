package com.example.weft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.AsyncResult;
import dev.weft.ClusterPool;
import dev.weft.ContextKey;
import dev.weft.FailedException;
import dev.weft.Futures;
import dev.weft.Mapper;
import dev.weft.Pool;
import dev.weft.ProcessPool;
import dev.weft.RemoteMapper;
import dev.weft.RemotePool;
import dev.weft.ResultIterator;
import dev.weft.SerialLimits;
import dev.weft.SettableFuture;
import dev.weft.SharedCounter;
import dev.weft.TaskFuture;
import dev.weft.TaskScope;
import dev.weft.UncheckedInterruptedException;
import dev.weft.testing.NullArguments;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The null policy of package {@code dev.weft}, as its package-info states it: every public method
 * throws {@link NullPointerException} for a null argument, except the arguments its javadoc says
 * may be null. Each method of each public type is called once per reference parameter, with null
 * there and a harmless value everywhere else (a hand-written NullPointerTester).
 */
class NullPolicyTest {

    /**
     * The parameters that accept null on purpose, as {@code Type.method#index}; each method's
     * javadoc says so. Nothing here is called with null.
     */
    private static final Set<String> MAY_BE_NULL = Set.of(
            "Pool.apply#1", "Pool.applyAsync#1", "RemotePool.apply#1", "RemotePool.applyAsync#1",  // a function's argument
            "Pool.submit#1", "RemotePool.submit#1", "ExecutorService.submit#1",                     // submit(task, result)
            "TaskFuture.complete#0", "SettableFuture.complete#0",                                   // a null result
            "ContextKey.orElse#0",                                                                  // the default
            "FailedException.<init>#0", "UncheckedInterruptedException.<init>#0");                // a message

    /** Every public method of the pools, futures, scopes and values refuses a null argument at the call. */
    @Test
    void everyMethodRefusesNullUnlessItsJavadocSaysOtherwise() throws Exception {
        NullArguments nulls = new NullArguments(MAY_BE_NULL);
        AtomicReference<ProcessPool.Configuration> processDefaults = new AtomicReference<>();
        AtomicReference<Pool.Configuration> poolDefaults = new AtomicReference<>();
        AtomicReference<TaskScope.Configuration> scopeDefaults = new AtomicReference<>();
        try (Pool pool = Pool.io(c -> {
                poolDefaults.set(c);
                return c;
            });
             ProcessPool processes = Pool.processes(c -> {
                 processDefaults.set(c);
                 return c.withWorkers(1).withLazyStart();
             });
             TaskScope<Object, List<Object>> scope = TaskScope.open(TaskScope.Joiner.allSuccessful(), c -> {
                 scopeDefaults.set(c);
                 return c;
             })) {
            TaskFuture<String> future = pool.submit(() -> "done");
            future.get();
            AsyncResult<String> result = pool.applyAsync(x -> "done", "item");
            result.get();
            ResultIterator<String> iterator = pool.imap(x -> "done", List.of("item"));
            SettableFuture<String> settable = SettableFuture.create();
            nulls.check(Pool.class, null);
            nulls.check(Pool.class, pool);
            nulls.check(TaskFuture.class, future);
            nulls.check(SettableFuture.class, settable);
            nulls.check(AsyncResult.class, result);
            nulls.check(ResultIterator.class, iterator);
            nulls.check(Futures.class, null);
            nulls.check(TaskScope.class, null);
            nulls.check(TaskScope.class, scope);
            nulls.check(TaskScope.Joiner.class, null);
            nulls.check(ContextKey.class, null);
            nulls.check(ContextKey.class, ContextKey.named("k"));
            nulls.check(SerialLimits.class, SerialLimits.defaults());
            nulls.check(SharedCounter.class, null);
            nulls.check(FailedException.class, new FailedException("m", new RuntimeException()));
            nulls.check(RemotePool.class, processes);
            nulls.check(Mapper.class, pool.withProgress(p -> { }));
            nulls.check(RemoteMapper.class, processes.withProgress(p -> { }));
            nulls.check(Pool.Configuration.class, poolDefaults.get());
            nulls.check(TaskScope.Configuration.class, scopeDefaults.get());
            nulls.check(ProcessPool.Configuration.class, processDefaults.get());
            nulls.check(ClusterPool.Configuration.class, ClusterPool.Configuration.defaults());
            nulls.check(ClusterPool.Member.class, null);
            scope.join();
        }
        assertThat(nulls.checked).as("calls made").hasSizeGreaterThan(150);
        for (Class<?> type : List.of(FailedException.class, UncheckedInterruptedException.class)) {
            nulls.checkConstructors(type);
        }
        assertThat(nulls.accepted).as("methods that accept null without saying so").isEmpty();
        assertThat(nulls.unnamed).as("methods whose NullPointerException does not name the argument").isEmpty();
    }
}
