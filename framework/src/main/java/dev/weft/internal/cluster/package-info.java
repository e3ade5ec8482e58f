/**
 * Internal: what a cluster member does with a cluster pool's task. Not API: the module
 * {@code dev.weft} exports this package only to {@code dev.weft.hazelcast}, whose members call it;
 * on the class path it is visible, but it may change in any release without notice.
 *
 * <ul>
 * <li>{@link dev.weft.internal.cluster.ClusterTasks}: runs a task in a member's thread, after the
 *     pool's initializer, named as the other pools' workers are; its outcome goes back as bytes
 *     that Weft reads itself (Weft's design record ADR 0006).</li>
 * </ul>
 * Nothing here names a type of {@code dev.weft}: the package sits below the API (ADR 0008); the
 * cluster pool makes the API's members, workers and exceptions from what it reports.
 *
 * <h2>Null policy</h2>
 * Unless a method says otherwise, passing null to any method of this package throws
 * {@link java.lang.NullPointerException}. The arguments that may be null say so: a pool's
 * initializer.
 *
 * @since 0.1
 */
package dev.weft.internal.cluster;
