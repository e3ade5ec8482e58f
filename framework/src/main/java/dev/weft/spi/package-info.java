/**
 * Internal: the service interfaces between Weft's core and its optional modules: the scope engines,
 * and the distributed engine of {@link dev.weft.ClusterPool}. Not API.
 *
 * <p>Nothing here is for applications. The module {@code dev.weft} exports this package only to
 * {@code dev.weft.sts} and {@code dev.weft.hazelcast} (a qualified export); on the class path it is visible, but it may change in
 * any release without notice. Applications choose an engine with the system property
 * {@code dev.weft.engine} and check it with {@code TaskScope.engine()}, nothing else.
 *
 * <p>An {@link dev.weft.spi.EngineProvider} is found with {@link java.util.ServiceLoader}; its
 * {@link dev.weft.spi.Engine} decides in which thread container each scope's subtask threads run.
 * Everything else a scope does (its join policy, deadline, concurrency limit, completion order,
 * context and structure checks) stays in the core, so every engine keeps the same semantics.
 * Why: Weft's design record ADR 0004, "An engine SPI, chosen at run time".
 *
 * <p>A {@link dev.weft.spi.ClusterProvider}, also found with {@link java.util.ServiceLoader},
 * starts or joins a member of a cluster; the core keeps the pool (its queue, bound per member,
 * life cycle and the whole {@code Pool} vocabulary) and the provider only sends tasks and reports
 * their outcomes. Why: Weft's design record ADR 0006, "The cluster pool, on embedded Hazelcast".
 *
 * <h2>Null policy</h2>
 * Unless a method says otherwise, passing null to any method of this package throws
 * {@link java.lang.NullPointerException}, and the core passes no null to the methods of these
 * interfaces, so implementations need not check. The arguments that may be null say so: a pool's
 * initializer, the member named in {@link dev.weft.spi.ClusterProvider.Settings}, the target and
 * key of {@link dev.weft.spi.ClusterBackend#send}, the member and cause of
 * {@link dev.weft.spi.ClusterBackend.Completion#memberLost}.
 *
 * <p>Nothing here names another Weft package: the engines see the API's types through the API
 * itself, and the core makes the API's members and exceptions from what an engine reports
 * (design record ADR 0008).
 *
 * @since 0.1
 */
package dev.weft.spi;
