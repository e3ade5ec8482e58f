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
 * {@link Double}, {@link Boolean}, {@link String} and {@code byte[]}), and {@code Object[]}s of
 * them but {@code byte[]} (a map chunk's items and outcomes; Java serialization keeps a mutable
 * array that appears twice one array), take a compact form: one tag byte, then the value
 * (strings and arrays with their length first). A Java serialization stream always begins with
 * {@code 0xACED}, so the first byte tells the two apart. These classes are in {@code java.**},
 * which every filter allows, so the compact form lets nothing through that the filter would stop;
 * it saves a stream header, class descriptors and a filter check per object, each way.
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
    private static final byte NULL = 1, INT = 2, LONG = 3, DOUBLE = 4, FALSE = 5, TRUE = 6, STRING = 7, BYTES = 8,
            ARRAY = 9;
    /** Long strings go by Java serialization, whose modified UTF-8 is shorter for most text. */
    private static final int MAX_COMPACT_CHARS = 1 << 12;
    /** Past this, an array goes by Java serialization, which reports what is too big. */
    private static final long MAX_COMPACT_BYTES = Integer.MAX_VALUE - 64;

    /** {@code value} in the compact form if it has one (see the class comment), else by Java serialization. */
    public static byte[] serialize(Object value) throws IOException {
        byte[] compact = value instanceof Object[] array ? compactArray(array) : compact(value);
        return compact != null ? compact : javaSerialize(value);
    }

    /** {@code value} in the compact form, or null if it has none. */
    private static byte[] compact(Object value) {
        int size = size(value);
        if (size < 0) {
            return null;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        put(out, value);
        return out.array();
    }

    /**
     * {@code values} (an {@code Object[]} exactly, such as a map chunk's items or outcomes) in the
     * compact form, if each of them has one; else null.
     */
    public static byte[] compactArray(Object[] values) {
        if (values.getClass() != Object[].class) {
            return null;                        // a String[] must come back a String[]: Java serialization
        }
        long size = 1 + Integer.BYTES;
        for (Object value : values) {
            int one = value instanceof byte[] ? -1 : size(value);   // arrays in arrays: Java keeps their identity
            if (one < 0 || (size += one) > MAX_COMPACT_BYTES) {
                return null;
            }
        }
        ByteBuffer out = ByteBuffer.allocate((int) size).put(ARRAY).putInt(values.length);
        for (Object value : values) {
            put(out, value);
        }
        return out.array();
    }

    /** The values {@link #compactArray} wrote. */
    public static Object[] fromCompactArray(byte[] bytes) throws StreamCorruptedException {
        Object value = fromCompact(bytes);
        if (!(value instanceof Object[] array)) {
            throw new StreamCorruptedException("expected a compact array, found " + describe(value));
        }
        return array;
    }

    /** The bytes of {@code value}'s compact form, or -1 if it has none. */
    private static int size(Object value) {
        if (value == null || value instanceof Boolean) {
            return 1;
        } else if (value instanceof Integer) {
            return 1 + Integer.BYTES;
        } else if (value instanceof Long || value instanceof Double) {
            return 1 + Long.BYTES;
        } else if (value instanceof String text && text.length() <= MAX_COMPACT_CHARS) {
            return 1 + Integer.BYTES + 2 * text.length();               // UTF-16: exact for any string
        } else if (value instanceof byte[] array) {
            return 1 + Integer.BYTES + array.length;
        }
        return -1;
    }

    private static void put(ByteBuffer out, Object value) {
        if (value == null) {
            out.put(NULL);
        } else if (value instanceof Boolean b) {
            out.put(b ? TRUE : FALSE);
        } else if (value instanceof Integer i) {
            out.put(INT).putInt(i);
        } else if (value instanceof Long l) {
            out.put(LONG).putLong(l);
        } else if (value instanceof Double d) {
            out.put(DOUBLE).putDouble(d);
        } else if (value instanceof String text) {
            out.put(STRING).putInt(text.length());
            for (int i = 0; i < text.length(); i++) {
                out.putChar(text.charAt(i));
            }
        } else {
            byte[] array = (byte[]) value;
            out.put(BYTES).putInt(array.length).put(array);
        }
    }

    private static Object fromCompact(byte[] payload) throws StreamCorruptedException {
        if (payload.length == 0) {
            throw new StreamCorruptedException("an empty payload: neither a compact value nor a Java stream");
        }
        ByteBuffer in = ByteBuffer.wrap(payload);
        try {
            Object value;
            if (payload[0] == ARRAY) {
                in.get();
                int count = length(in, 1);
                Object[] values = new Object[count];
                for (int i = 0; i < count; i++) {
                    values[i] = get(in);
                }
                value = values;
            } else {
                value = get(in);
            }
            if (in.hasRemaining()) {
                throw new StreamCorruptedException(in.remaining() + " bytes left over after a compact "
                        + describe(value) + " (" + payload.length + " bytes in all)");
            }
            return value;
        } catch (java.nio.BufferUnderflowException e) {
            throw new StreamCorruptedException("a compact value of tag " + payload[0] + " cut short at "
                    + payload.length + " bytes");
        }
    }

    private static Object get(ByteBuffer in) throws StreamCorruptedException {
        byte tag = in.get();
        return switch (tag) {
            case NULL -> null;
            case FALSE -> Boolean.FALSE;
            case TRUE -> Boolean.TRUE;
            case INT -> in.getInt();
            case LONG -> in.getLong();
            case DOUBLE -> in.getDouble();
            case STRING -> {
                char[] chars = new char[length(in, 2)];
                for (int i = 0; i < chars.length; i++) {
                    chars[i] = in.getChar();
                }
                yield new String(chars);
            }
            case BYTES -> {
                byte[] array = new byte[length(in, 1)];
                in.get(array);
                yield array;
            }
            default -> throw new StreamCorruptedException("a value of tag " + tag + ": neither a compact value "
                    + "nor a Java serialization stream");
        };
    }

    /** A length read from {@code in}, checked against what is left of it ({@code unit} bytes at least each). */
    private static int length(ByteBuffer in, int unit) throws StreamCorruptedException {
        int length = in.getInt();
        if (length < 0 || (long) length * unit > in.remaining()) {
            throw new StreamCorruptedException("a compact value claims " + length + " elements, but "
                    + in.remaining() + " bytes are left");
        }
        return length;
    }

    private static String describe(Object value) {
        return value == null ? "null" : value.getClass().getSimpleName();
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
