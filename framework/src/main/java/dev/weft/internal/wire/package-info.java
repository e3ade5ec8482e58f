/**
 * Internal: the bytes that cross between JVMs. Not API: the module {@code dev.weft} exports this
 * package only to {@code dev.weft.hazelcast}; on the class path it is visible, but it may change in
 * any release without notice.
 *
 * <ul>
 * <li>{@link dev.weft.internal.wire.AllowList}: Java serialization through a filter that allows
 *     {@code java.**}, {@code dev.weft.**}, a pool's own patterns and, in a process pool, the
 *     classes the other side announced; with bounds on depth, references, arrays and bytes
 *     (Weft's design record ADR 0007, "What remote pools deserialize").</li>
 * <li>{@link dev.weft.internal.wire.WireFormat}: the version header of every envelope; one of
 *     another version is refused with a {@link dev.weft.internal.wire.WireVersionException}
 *     that names both releases.</li>
 * <li>{@link dev.weft.internal.wire.Channel}: a process pool's frames on the Unix-domain socket
 *     between the parent and a worker (ADR 0005).</li>
 * <li>{@link dev.weft.internal.wire.ClassSource} and {@link dev.weft.internal.wire.ParentClassLoader}:
 *     the parent finds the bytes of the application classes it serialized, and a worker that lacks
 *     one asks for them (a single-file program, jshell).</li>
 * <li>{@link dev.weft.internal.wire.SharedFunctions} and
 *     {@link dev.weft.internal.wire.ReceivedFunctions}: functions, stateless tasks and lambda shapes
 *     that cross to a worker once and are then named by id, the parent's side and the worker's.</li>
 * </ul>
 * Nothing here names a type of {@code dev.weft}: the package sits below the API (ADR 0008).
 *
 * <h2>Null policy</h2>
 * Unless a method says otherwise, passing null to any method of this package throws
 * {@link java.lang.NullPointerException}. The arguments that may be null say so: a value to
 * serialize, a class loader.
 *
 * @since 0.1
 */
package dev.weft.internal.wire;
