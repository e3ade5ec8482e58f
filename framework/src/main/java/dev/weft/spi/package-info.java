/**
 * Internal: the service interface between Weft's core and its optional scope engines. Not API.
 *
 * <p>Nothing here is for applications. The module {@code dev.weft} exports this package only to
 * {@code dev.weft.sts} (a qualified export); on the class path it is visible, but it may change in
 * any release without notice. Applications choose an engine with the system property
 * {@code dev.weft.engine} and check it with {@code TaskScope.engine()}, nothing else.
 *
 * <p>An {@link dev.weft.spi.EngineProvider} is found with {@link java.util.ServiceLoader}; its
 * {@link dev.weft.spi.Engine} decides in which thread container each scope's subtask threads run.
 * Everything else a scope does (its join policy, deadline, concurrency limit, completion order,
 * context and structure checks) stays in the core, so every engine keeps the same semantics.
 * See {@code docs/adr/0004-engine-spi-and-sts-engine.md}.
 */
package dev.weft.spi;
