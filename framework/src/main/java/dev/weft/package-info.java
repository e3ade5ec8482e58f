/**
 * Weft's API: structured concurrency on virtual threads, and pools with Python's vocabulary.
 * {@link dev.weft.TaskScope} runs IO work as a group of subtasks; {@link dev.weft.Pool} runs work
 * on threads ({@link dev.weft.Pool#io()}, {@link dev.weft.Pool#cpu()}), on worker JVMs
 * ({@link dev.weft.ProcessPool}) or on the members of a cluster ({@link dev.weft.ClusterPool});
 * {@link dev.weft.TaskFuture} and {@link dev.weft.Futures} wait for and combine the results. Every
 * other package of the module is implementation.
 *
 * <h2>Null policy</h2>
 * Unless a method says otherwise, passing null to any method of this package throws
 * {@link java.lang.NullPointerException}, at the call; so does a null element of a collection or
 * array argument whose elements are tasks, futures, pairs or settings (a task of
 * {@code invokeAll}, a future of {@code Futures.wait}, a pair of {@code starmap}, an argument of
 * {@code withJvmArgs}). The methods that accept null on purpose say so: data that Weft only
 * carries may be null, such as the argument of {@code apply}, an item of {@code map} (if the
 * function accepts it), the result given to {@code submit(task, result)} or
 * {@code SettableFuture.complete}, and the default of {@code ContextKey.orElse}. {@code equals}
 * returns false for null, as {@link java.lang.Object#equals} requires. The public constructors of
 * the exceptions, like {@link java.lang.Throwable}'s, accept a null message and cause; each says
 * what else it requires.
 *
 * @since 0.1
 */
package dev.weft;
