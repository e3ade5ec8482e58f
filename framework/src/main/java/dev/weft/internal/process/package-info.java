/**
 * Internal: the parent's machinery of a process pool's worker JVMs, as it moves below the API.
 * Not API: the module {@code dev.weft} does not export this package; on the class path it is
 * visible, but it may change in any release without notice.
 *
 * <ul>
 * <li>{@link dev.weft.internal.process.Rendezvous}: where a worker meets its parent, a Unix-domain
 *     socket in a directory only the user can read, with a token only the two know, and nothing
 *     left behind by a killed parent (Weft's design record ADR 0005).</li>
 * <li>{@link dev.weft.internal.process.LineTail}: the last lines of a worker's standard error.</li>
 * <li>{@link dev.weft.internal.process.ReadTurn}: whose turn it is to read a worker's channel, its
 *     reader's or that of a thread that waits for an answer and reads it itself.</li>
 * <li>{@link dev.weft.internal.process.WorkerCommand} and
 *     {@link dev.weft.internal.process.StartupCache}: the worker's command line, and the automatic
 *     startup cache on JDK 25.</li>
 * <li>{@link dev.weft.internal.process.WorkerExit} and {@link dev.weft.internal.process.WorkerFaults}:
 *     how a worker ended, in words, and which ends break the pool. The pool makes its exceptions
 *     from those words.</li>
 * </ul>
 * Nothing here names a type of {@code dev.weft}: the package sits below the API (ADR 0008, step 4).
 *
 * <h2>Null policy</h2>
 * No method of this package accepts null.
 *
 * @since 0.1
 */
package dev.weft.internal.process;
