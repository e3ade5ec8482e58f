package dev.weft.spi;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.StreamCorruptedException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The deserialization allow-list of the pools whose tasks run in other JVMs: {@code java.**},
 * {@code dev.weft.**} and the patterns a configuration adds; everything else is rejected.
 * Internal; see {@link ClusterProvider}.
 *
 * <h2>The bytes</h2>
 * The commonest results of small tasks ({@code null}, {@link Integer}, {@link Long},
 * {@link Double}, {@link Boolean}, {@link String} and {@code byte[]}) take a compact form: one tag
 * byte, then the value. A Java serialization stream always begins with {@code 0xACED}, so the
 * first byte tells the two apart. These classes are in {@code java.**}, which every filter
 * allows, so the compact form lets nothing through that the filter would stop; it saves a stream
 * header and class descriptors each way (a few microseconds on every task).
 */
public final class AllowList {
    private AllowList() {
    }

    /** The filter's pattern, as {@link ObjectInputFilter.Config#createFilter} reads it. */
    public static String pattern(List<String> allowedClasses) {
        StringBuilder s = new StringBuilder("maxdepth=200;java.**;dev.weft.**;");
        allowedClasses.forEach(p -> s.append(p).append(';'));
        return s.append("!*").toString();
    }

    /** The filter of {@link #pattern}. */
    public static ObjectInputFilter filter(List<String> allowedClasses) {
        return ObjectInputFilter.Config.createFilter(pattern(allowedClasses));
    }

    /** The first byte of {@code ObjectStreamConstants.STREAM_MAGIC}. */
    private static final byte JAVA_STREAM_FIRST_BYTE = (byte) 0xAC;
    private static final byte NULL = 1, INT = 2, LONG = 3, DOUBLE = 4, FALSE = 5, TRUE = 6, STRING = 7, BYTES = 8;

    /** {@code value} in the compact form if it has one (see the class comment), else by Java serialization. */
    public static byte[] serialize(Object value) throws IOException {
        byte[] compact = compact(value);
        return compact != null ? compact : javaSerialize(value);
    }

    private static byte[] compact(Object value) {
        if (value == null) {
            return new byte[] {NULL};
        } else if (value instanceof Integer i) {
            return tagged(INT, 4).putInt(i).array();
        } else if (value instanceof Long l) {
            return tagged(LONG, 8).putLong(l).array();
        } else if (value instanceof Double d) {
            return tagged(DOUBLE, 8).putDouble(d).array();
        } else if (value instanceof Boolean b) {
            return new byte[] {b ? TRUE : FALSE};
        } else if (value instanceof String text && text.length() <= MAX_COMPACT_CHARS) {
            ByteBuffer buffer = tagged(STRING, 2 * text.length());     // UTF-16: exact for any string
            for (int i = 0; i < text.length(); i++) {
                buffer.putChar(text.charAt(i));
            }
            return buffer.array();
        } else if (value instanceof byte[] array) {
            return tagged(BYTES, array.length).put(array).array();
        }
        return null;
    }

    /** Long strings go by Java serialization, whose modified UTF-8 is shorter for most text. */
    private static final int MAX_COMPACT_CHARS = 1 << 12;

    private static ByteBuffer tagged(byte tag, int length) {
        return ByteBuffer.allocate(1 + length).put(tag);
    }

    private static Object fromCompact(byte[] payload) throws StreamCorruptedException {
        ByteBuffer in = ByteBuffer.wrap(payload, 1, payload.length - 1);
        int length = payload.length - 1;
        byte tag = payload[0];
        boolean fits = switch (tag) {
            case NULL, FALSE, TRUE -> length == 0;
            case INT -> length == 4;
            case LONG, DOUBLE -> length == 8;
            case STRING -> length % 2 == 0;
            case BYTES -> true;
            default -> false;
        };
        if (!fits) {
            throw new StreamCorruptedException("a value of tag " + tag + " and " + length + " bytes: neither a "
                    + "compact value nor a Java serialization stream");
        }
        return switch (tag) {
            case NULL -> null;
            case FALSE -> Boolean.FALSE;
            case TRUE -> Boolean.TRUE;
            case INT -> in.getInt();
            case LONG -> in.getLong();
            case DOUBLE -> in.getDouble();
            case STRING -> {
                char[] chars = new char[length / 2];
                in.asCharBuffer().get(chars);
                yield new String(chars);
            }
            default -> java.util.Arrays.copyOfRange(payload, 1, payload.length);
        };
    }

    private static byte[] javaSerialize(Object value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        return bytes.toByteArray();
    }

    /**
     * Reads one object from {@code payload} through {@code filter}.
     *
     * @throws InvalidClassException naming the class, if the filter rejects one (the JDK's own
     *                               message says only "filter status: REJECTED")
     */
    public static Object deserialize(byte[] payload, ObjectInputFilter filter) throws IOException,
            ClassNotFoundException {
        if (payload.length > 0 && payload[0] != JAVA_STREAM_FIRST_BYTE) {
            return fromCompact(payload);
        }
        String[] rejected = {null};
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(payload))) {
            in.setObjectInputFilter(info -> {
                ObjectInputFilter.Status status = filter.checkInput(info);
                if (status == ObjectInputFilter.Status.REJECTED && rejected[0] == null) {
                    rejected[0] = info.serialClass() != null ? info.serialClass().getName()
                            : "(depth " + info.depth() + ", " + info.references() + " references, array length "
                            + info.arrayLength() + ")";
                }
                return status;
            });
            return in.readObject();
        } catch (InvalidClassException e) {
            if (rejected[0] == null) {
                throw e;
            }
            InvalidClassException named = new InvalidClassException(rejected[0], "not allowed by the deserialization "
                    + "filter " + filter);
            named.initCause(e);
            throw named;
        }
    }
}
