/**
 * Internal: Weft's JDK Flight Recorder events, named {@code dev.weft.*} in a recording. Not API: the
 * module {@code dev.weft} does not export this package; on the class path it is visible, but it may
 * change in any release without notice. The events' names and fields are documented in Weft's guide
 * (section "Watching it run: JFR, JMX and thread dumps").
 *
 * <ul>
 * <li>{@link dev.weft.internal.jfr.Jfr}: whether the module {@code jdk.jfr} is in this JVM at all,
 *     the guard in front of everything else here.</li>
 * <li>{@link dev.weft.internal.jfr.ScopeEvents}: a scope opened and closed, a subtask forked and
 *     ended.</li>
 * <li>{@link dev.weft.internal.jfr.PoolEvents}: a pool's task queued, started and ended.</li>
 * <li>{@link dev.weft.internal.jfr.WorkerEvents}: a process pool's worker JVM started and
 *     exited.</li>
 * </ul>
 * Nothing here names a type of {@code dev.weft}: the package sits below the API (ADR 0008).
 *
 * <h2>Null policy</h2>
 * No method of this package accepts null, except where its comment says so (a failure that may be
 * absent, a token that may be).
 *
 * @since 0.1
 */
package dev.weft.internal.jfr;
