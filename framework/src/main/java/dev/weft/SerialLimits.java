package dev.weft;

import java.util.Objects;

/**
 * How much a {@link ProcessPool} deserializes of one task or one result: its depth, its
 * references, the length of each array and its bytes. Beyond a limit the object is rejected: a
 * task then fails in its worker, and a result fails its future, with a message that names the
 * limit. Immutable; each {@code with} method returns a changed copy.
 *
 * <pre>{@code
 * Pool.processes(c -> c.withSerialLimits(SerialLimits.defaults().withMaxDepth(200)))   // a deep tree of records
 * }</pre>
 *
 * <p>The defaults make a hostile or runaway object cheap to refuse. Depth matters most: the time
 * to decode nested hash collections that share their elements doubles with each level: within the
 * default depth it takes at most a fifth of a second (on a 2-core VM), 24 levels take seconds and
 * 60 would take for ever. The JDK's RMI registry allows the same depth, 20.
 * Collections of the JDK ({@code ArrayList}, {@code HashMap}, {@code LinkedList}) write their
 * elements side by side, so a big list or map is shallow: only objects that hold objects that hold
 * objects, such as a linked structure of records, grow deep.
 *
 * @since 0.1
 */
public final class SerialLimits {
    private static final SerialLimits DEFAULTS = new SerialLimits(20, 10_000_000, 10_000_000, 1L << 28);
    /** The largest payload a frame may carry: no limit of bytes can be higher. */
    static final long MAX_BYTES = 1L << 30;

    private final int maxDepth;
    private final long maxReferences;
    private final int maxArrayLength;
    private final long maxBytes;

    private SerialLimits(int maxDepth, long maxReferences, int maxArrayLength, long maxBytes) {
        this.maxDepth = maxDepth;
        this.maxReferences = maxReferences;
        this.maxArrayLength = maxArrayLength;
        this.maxBytes = maxBytes;
    }

    /**
     * The default limits: depth 20, 10,000,000 references, arrays of 10,000,000 elements, 256 MiB.
     *
     * @return the default limits
     */
    public static SerialLimits defaults() {
        return DEFAULTS;
    }

    /**
     * Sets how deeply objects may nest (an object that holds an object is one level deeper).
     *
     * @param depth the deepest nesting allowed, at least 1
     * @return a copy of these limits with that depth
     * @throws IllegalArgumentException if {@code depth} is below 1
     */
    public SerialLimits withMaxDepth(int depth) {
        return new SerialLimits(positive(depth, "maxDepth"), maxReferences, maxArrayLength, maxBytes);
    }

    /**
     * Sets how many objects and classes one stream may hold.
     *
     * @param references the most objects and classes one task or result may hold, at least 1
     * @return a copy of these limits with that number
     * @throws IllegalArgumentException if {@code references} is below 1
     */
    public SerialLimits withMaxReferences(long references) {
        return new SerialLimits(maxDepth, positive(references, "maxReferences"), maxArrayLength, maxBytes);
    }

    /**
     * Sets the longest array one stream may hold.
     *
     * @param length the most elements any one array may have, at least 1
     * @return a copy of these limits with that length
     * @throws IllegalArgumentException if {@code length} is below 1
     */
    public SerialLimits withMaxArrayLength(int length) {
        return new SerialLimits(maxDepth, maxReferences, positive(length, "maxArrayLength"), maxBytes);
    }

    /**
     * Sets how many bytes one stream may have.
     *
     * @param bytes the most bytes one task or result may take, from 1 to 1 GiB
     * @return a copy of these limits with that number
     * @throws IllegalArgumentException if {@code bytes} is below 1 or above 1 GiB, the most one message carries
     */
    public SerialLimits withMaxBytes(long bytes) {
        if (bytes > MAX_BYTES) {
            throw new IllegalArgumentException("maxBytes must be at most " + MAX_BYTES + " (1 GiB, the most one "
                    + "message carries), but was " + bytes + "; send bigger data as several results, or by a file");
        }
        return new SerialLimits(maxDepth, maxReferences, maxArrayLength, positive(bytes, "maxBytes"));
    }

    private static <N extends Number> N positive(N value, String what) {
        if (value.longValue() < 1) {
            throw new IllegalArgumentException(what + " must be at least 1, but was " + value);
        }
        return value;
    }

    /** {@return how deeply objects may nest} */
    public int maxDepth() {
        return maxDepth;
    }

    /** {@return how many objects and classes one stream may hold} */
    public long maxReferences() {
        return maxReferences;
    }

    /** {@return the longest array one stream may hold} */
    public int maxArrayLength() {
        return maxArrayLength;
    }

    /** {@return how many bytes one stream may have} */
    public long maxBytes() {
        return maxBytes;
    }

    /** The limits as {@link java.io.ObjectInputFilter} patterns. */
    String pattern() {
        return "maxdepth=" + maxDepth + ";maxrefs=" + maxReferences + ";maxarray=" + maxArrayLength + ";maxbytes="
                + maxBytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SerialLimits l && l.maxDepth == maxDepth && l.maxReferences == maxReferences
                && l.maxArrayLength == maxArrayLength && l.maxBytes == maxBytes;
    }

    @Override
    public int hashCode() {
        return Objects.hash(maxDepth, maxReferences, maxArrayLength, maxBytes);
    }

    @Override
    public String toString() {
        return "SerialLimits[" + pattern().replace(';', ',') + "]";
    }
}
