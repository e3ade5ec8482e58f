/**
 * Internal: registering Weft's MXBeans in the platform MBean server. Not API: the module
 * {@code dev.weft} does not export this package; on the class path it is visible, but it may change
 * in any release without notice. The beans' interfaces are API ({@code dev.weft.PoolMXBean}).
 *
 * <ul>
 * <li>{@link dev.weft.internal.jmx.MBeans}: a bean's {@code ObjectName}, quoted where it must be and
 *     numbered where it repeats, and its registration, which never throws.</li>
 * </ul>
 * Nothing here names a type of {@code dev.weft}: the package sits below the API (ADR 0008).
 *
 * <h2>Null policy</h2>
 * No method of this package accepts null.
 *
 * @since 0.1
 */
package dev.weft.internal.jmx;
