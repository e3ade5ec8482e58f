/**
 * Internal: what every pool kind does with the threads it owns. Not API: the module
 * {@code dev.weft} does not export this package; on the class path it is visible, but it may change
 * in any release without notice.
 *
 * <ul>
 * <li>{@link dev.weft.internal.threads.Threads}: joining a pool's own threads whatever the
 *     interrupts.</li>
 * </ul>
 * Nothing here names a type of {@code dev.weft}: the package sits below the API (ADR 0008).
 *
 * <h2>Null policy</h2>
 * No method of this package accepts null.
 *
 * @since 0.1
 */
package dev.weft.internal.threads;
