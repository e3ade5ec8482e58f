package dev.weft.spi;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;

/**
 * The deserialization allow-list of the pools whose tasks run in other JVMs: {@code java.**},
 * {@code dev.weft.**} and the patterns a configuration adds; everything else is rejected.
 * Internal; see {@link ClusterProvider}.
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

    /** {@code value} by Java serialization. */
    public static byte[] serialize(Object value) throws IOException {
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
