/**
 * Internal: the dispatch that Weft's two remote pools share, the process pool and the cluster pool.
 * Not API: the module {@code dev.weft} does not export this package; on the class path it is
 * visible, but it may change in any release without notice.
 *
 * <p>{@link dev.weft.internal.remote.RemoteDispatcher} holds the jobs not yet sent, the jobs each
 * target holds, where the next one goes, and whether the pool is broken. It sees a task only as a
 * {@link dev.weft.internal.remote.RemoteDispatcher.Ticket} and names no type of {@code dev.weft}:
 * the package sits below the API (Weft's design record ADR 0008, "The package layout").
 *
 * <h2>Null policy</h2>
 * No method of this package accepts null, except {@code RemoteDispatcher.Job}'s lane, which is null
 * until the job is first placed.
 *
 * @since 0.1
 */
package dev.weft.internal.remote;
