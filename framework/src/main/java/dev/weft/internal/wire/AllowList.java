package dev.weft.internal.wire;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.StreamCorruptedException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The deserialization allow-list of the pools whose tasks run in other JVMs, and the bytes their
 * tasks and outcomes cross in. Internal: Weft's remote pools use it, and so does the cluster engine's member.
 *
 * <h2>What a reader accepts</h2>
 * A {@link Filter} allows {@code java.**}, {@code dev.weft.**} and the patterns a configuration
 * adds, within {@linkplain #DEFAULT_LIMITS limits} of depth, references, array length and bytes.
 * A filter that {@linkplain Filter#trustsAnnounced trusts announcements} (a local process pool's,
 * whose two ends are one user's processes) also allows the classes the writer <em>announced</em>:
 * {@link #serialize} records each class outside {@code java.**} and {@code dev.weft.**} whose
 * descriptor it writes and puts their names before the stream. So a user's task, what it captures
 * and its result cross without configuration, while a class that no Weft writer serialized (a
 * gadget spliced into the bytes) is still rejected. A lambda's class is allowed when the class
 * that created it is; a proxy's when its interfaces are. A cluster's filter trusts only its list.
 *
 * <h2>The bytes</h2>
 * The commonest results of small tasks ({@code null}, {@link Integer}, {@link Long},
 * {@link Double}, {@link Boolean}, {@link String} and {@code byte[]}), and {@code Object[]}s of
 * them but {@code byte[]} (a map chunk's items and outcomes; Java serialization keeps a mutable
 * array that appears twice one array), take a compact form: one tag byte, then the value
 * (strings and arrays with their length first). A Java serialization stream always begins with
 * {@code 0xACED}, so the first byte tells the two apart; a stream with announced classes begins
 * with the tag {@code CLASSES}, their count and their names. The compact classes are in
 * {@code java.**}, which every filter allows, so the compact form lets nothing through that the
 * filter would stop; it saves a stream header, class descriptors and a filter check per object,
 * each way.
 *
 * @since 0.1
 */
public final class AllowList {
    private AllowList() {
    }

    /** The patterns every filter allows. */
    private static final String DEFAULT_PATTERNS = "java.**;dev.weft.**;";
    /**
     * The limits a filter applies unless configured otherwise, as {@code ObjectInputFilter}
     * patterns. The depth bounds the cost of nested hash collections, whose decoding time doubles
     * with each level (19 levels take a fifth of a second here, 24 seconds, 60 for ever; the JDK's
     * RMI registry also allows 20); the others bound the memory a small stream can claim.
     */
    public static final String DEFAULT_LIMITS = "maxdepth=20;maxrefs=10000000;maxarray=10000000;maxbytes=268435456";

    /** The filter's pattern, as {@link ObjectInputFilter.Config#createFilter} reads it, with the default limits. */
    public static String pattern(List<String> allowedClasses) {
        return pattern(DEFAULT_LIMITS, allowedClasses);
    }

    /** The filter's pattern, as {@link ObjectInputFilter.Config#createFilter} reads it. */
    public static String pattern(String limits, List<String> allowedClasses) {
        StringBuilder s = new StringBuilder(limits).append(';').append(DEFAULT_PATTERNS);
        allowedClasses.forEach(p -> s.append(p).append(';'));
        return s.append("!*").toString();
    }

    /**
     * {@code allowed} followed by {@code patterns}, each checked to be one class pattern of
     * {@link ObjectInputFilter.Config#createFilter}, not a limit or a rejection, and stripped.
     * What a pool's {@code withAllowedClasses} keeps.
     *
     * @throws IllegalArgumentException if a pattern is blank, holds {@code ;}, {@code !} or {@code =},
     *                                  or is one the JDK's pattern filter refuses ({@code "mod/"}, {@code ".*"})
     */
    public static List<String> withPatterns(List<String> allowed, String... patterns) {
        List<String> all = new ArrayList<>(allowed);
        for (String pattern : Objects.requireNonNull(patterns, "patterns")) {
            String refused = Objects.requireNonNull(pattern, "a pattern").isBlank() || pattern.contains(";")
                    || pattern.contains("!") || pattern.contains("=") ? "" : refusal(pattern.strip());
            if (refused != null) {
                throw new IllegalArgumentException("'" + pattern + "' is not a class pattern" + refused
                        + ": give one such as com.example.**, com.example.* or com.example.Point per argument");
            }
            all.add(pattern.strip());
        }
        return all;
    }

    /** Why the JDK's pattern filter refuses the class pattern {@code pattern}, in parentheses, or null if it accepts it. */
    private static String refusal(String pattern) {
        try {
            ObjectInputFilter.Config.createFilter(pattern);
            return null;
        } catch (IllegalArgumentException e) {
            return " (" + e.getMessage() + ")";
        }
    }

    /** A filter of {@link #pattern} that trusts no announcement, as a cluster's: {@code hint} names the call that allows more. */
    public static Filter filter(List<String> allowedClasses) {
        return new Filter(pattern(allowedClasses), false, "ClusterPool.Configuration.withAllowedClasses", null);
    }

    /**
     * What a remote pool deserializes through: {@link ObjectInputFilter} patterns (limits and
     * classes), whether it trusts the classes a writer announced, and which configuration call
     * allows more, for messages. Immutable.
     *
     * @since 0.1
     */
    public static final class Filter implements ObjectInputFilter {
        private final String pattern;
        private final boolean trustsAnnounced;
        private final String hint;
        private final String limitsHint;
        /** The class part of {@link #pattern}, as the JDK's pattern filter reads it. */
        private final String classPart;
        /**
         * Whether the class part begins with {@link #DEFAULT_PATTERNS}, as every pool's does: then a
         * class in {@code java.**} or {@code dev.weft.**} is allowed without asking the JDK's
         * pattern filter, whose first patterns would allow it, and which need not be made at all
         * for a stream of such classes alone (a compact array's {@code Object[]}, say).
         */
        private final boolean defaultsFirst;
        /** The JDK's pattern filter of {@link #classPart}; made at the first class check if not at once (see {@link #checkedBefore}). */
        private volatile ObjectInputFilter classes;
        /** The limits, as the JDK's pattern filter reads them: unlimited unless the pattern names one. */
        private final long maxDepth, maxReferences, maxArrayLength, maxBytes;
        /**
         * Whether the class patterns allow a class: the JDK's pattern filter answers each question
         * with a stream over its patterns, a third of a worker's time per small task; the answer
         * depends on the class alone.
         */
        private final ClassValue<Boolean> matched = new ClassValue<>() {
            @Override
            protected Boolean computeValue(Class<?> type) {
                return classes().checkInput(new ClassOnly(type)) == Status.ALLOWED;
            }
        };
        private final String classPatterns;
        private final String limitsText;

        /**
         * @param pattern         limits and class patterns, as {@link AllowList#pattern} writes them
         * @param trustsAnnounced whether the classes a writer announced are allowed too
         * @param hint            the configuration method that allows more classes, such as
         *                        {@code ProcessPool.Configuration.withAllowedClasses}
         * @param limitsHint      the configuration method that raises the limits, or null if there is none
         */
        public Filter(String pattern, boolean trustsAnnounced, String hint, String limitsHint) {
            this(pattern, trustsAnnounced, hint, limitsHint, true);
        }

        /**
         * A filter of a pattern already checked: built of limits that {@code SerialLimits} wrote and
         * class patterns that {@link #withPatterns} accepted, or sent by the pool whose worker this
         * JVM is. The JDK's pattern filter is made when the filter first checks a class, not before:
         * the first use of {@code ObjectInputFilter.Config} starts the JDK's logging and reads its
         * security properties, about 15 ms of a cold JVM's time, and a pool whose tasks and results
         * cross without Java serialization never needs it.
         *
         * @param pattern         limits and class patterns, as {@link AllowList#pattern} writes them
         * @param trustsAnnounced whether the classes a writer announced are allowed too
         * @param hint            the configuration method that allows more classes
         * @param limitsHint      the configuration method that raises the limits, or null if there is none
         * @return the filter
         */
        public static Filter checkedBefore(String pattern, boolean trustsAnnounced, String hint, String limitsHint) {
            return new Filter(pattern, trustsAnnounced, hint, limitsHint, false);
        }

        private Filter(String pattern, boolean trustsAnnounced, String hint, String limitsHint, boolean check) {
            this.pattern = pattern;
            this.trustsAnnounced = trustsAnnounced;
            this.hint = hint;
            this.limitsHint = limitsHint;
            StringBuilder limitPart = new StringBuilder();
            StringBuilder classText = new StringBuilder();
            for (String part : pattern.split(";")) {
                if (!part.isBlank()) {
                    (part.contains("=") ? limitPart : classText).append(part.strip()).append(';');
                }
            }
            String limitPattern = limitPart.toString();
            this.classPart = classText.toString();
            this.defaultsFirst = classPart.startsWith(DEFAULT_PATTERNS);
            if (check) {
                ObjectInputFilter.Config.createFilter(limitPattern);   // throws as the JDK does for a bad limit
                this.classes = ObjectInputFilter.Config.createFilter(this.classPart);
            }
            String[] limits = limitPattern.split(";");
            this.maxDepth = limit(limits, "maxdepth=");
            this.maxReferences = limit(limits, "maxrefs=");
            this.maxArrayLength = limit(limits, "maxarray=");
            this.maxBytes = limit(limits, "maxbytes=");
            this.classPatterns = list(this.classPart.replace("!*;", ""));
            this.limitsText = list(limitPattern);
        }

        /** The last of {@code limits} that {@code name} begins, as the JDK's pattern filter reads it; else unlimited. */
        private static long limit(String[] limits, String name) {
            long value = Long.MAX_VALUE;
            for (String limit : limits) {
                if (limit.startsWith(name)) {
                    value = Long.parseLong(limit.substring(name.length()));
                }
            }
            return value;
        }

        private static String list(String patterns) {
            return String.join(", ", patterns.split(";"));
        }

        /** The pattern this filter was made of: what a worker is given to make the same filter. */
        public String pattern() {
            return pattern;
        }

        /** Whether a class a writer announced is allowed even if no pattern allows it. */
        public boolean trustsAnnounced() {
            return trustsAnnounced;
        }

        /** The limits first, then the classes, ignoring announcements. */
        @Override
        public Status checkInput(FilterInfo info) {
            return check(info, Set.of(), new String[1]);
        }

        /**
         * Checks {@code info}; for a rejection, {@code why[0]} says why. The classes in
         * {@code announced} pass if this filter trusts announcements.
         */
        public Status check(FilterInfo info, Set<String> announced, String[] why) {
            Objects.requireNonNull(announced, "announced");
            Objects.requireNonNull(why, "why");
            if (exceedsLimits(info)) {
                why[0] = "the stream exceeds the deserialization limits (" + limitsText + ") at depth " + info.depth()
                        + ", " + info.references() + " references, " + info.streamBytes() + " bytes"
                        + (info.arrayLength() >= 0 ? ", an array of " + info.arrayLength() : "")
                        + (limitsHint != null ? "; if the data is trusted, raise them with " + limitsHint : "");
                return Status.REJECTED;
            }
            Class<?> type = info.serialClass();
            if (type == null || allowed(type, trustsAnnounced ? announced : Set.of())) {
                return Status.UNDECIDED;
            }
            why[0] = "not allowed by the deserialization filter (" + classPatterns
                    + (trustsAnnounced ? ", and the classes the other side serialized itself" : "")
                    + "); if you trust it, allow it with " + hint + "(\"" + suggestion(type) + "\")";
            return Status.REJECTED;
        }

        /** Whether {@code info} goes past a limit, as the JDK's pattern filter of the same limits decides. */
        private boolean exceedsLimits(FilterInfo info) {
            long references = info.references(), depth = info.depth(), bytes = info.streamBytes();
            if (references < 0 || depth < 0 || bytes < 0 || references > maxReferences || depth > maxDepth
                    || bytes > maxBytes) {
                return true;
            }
            Class<?> type = info.serialClass();
            return type != null && type.isArray() && info.arrayLength() > maxArrayLength;
        }

        private boolean allowed(Class<?> type, Set<String> announced) {
            while (type.isArray()) {
                type = type.getComponentType();
            }
            if (type.isPrimitive() || matches(type) || announced.contains(type.getName())) {
                return true;
            }
            String name = type.getName();
            int lambda = name.indexOf("$$Lambda");
            if (type.isHidden() && lambda > 0) {         // allowed if the class whose lambda it is, is
                String host = name.substring(0, lambda);
                if (announced.contains(host)) {
                    return true;
                }
                try {
                    return matches(Class.forName(host, false, type.getClassLoader()));
                } catch (ClassNotFoundException | LinkageError e) {
                    return false;
                }
            }
            if (Proxy.isProxyClass(type)) {
                return Arrays.stream(type.getInterfaces()).allMatch(i -> allowed(i, announced));
            }
            return false;
        }

        private boolean matches(Class<?> type) {
            if (defaultsFirst) {
                String name = type.getName();
                if (name.startsWith("java.") || name.startsWith("dev.weft.")) {
                    return true;
                }
            }
            return matched.get(type);
        }

        /** The JDK's pattern filter of the class patterns, made now if it was not yet; the same filter either way. */
        private ObjectInputFilter classes() {
            ObjectInputFilter c = classes;
            if (c == null) {
                classes = c = ObjectInputFilter.Config.createFilter(classPart);
            }
            return c;
        }

        @Override
        public String toString() {
            return pattern + (trustsAnnounced ? " (and announced classes)" : "");
        }
    }

    /** A pattern to allow {@code type} with: its package and subpackages, or the class itself without a package. */
    public static String suggestion(Class<?> type) {
        String pkg = type.getPackageName();
        return pkg.isEmpty() ? type.getName() : pkg + ".**";
    }

    /** The filter's question about one class alone, for checking a class apart from a stream. */
    record ClassOnly(Class<?> serialClass) implements ObjectInputFilter.FilterInfo {
        @Override
        public long arrayLength() {
            return -1;
        }

        @Override
        public long depth() {
            return 1;
        }

        @Override
        public long references() {
            return 0;
        }

        @Override
        public long streamBytes() {
            return 0;
        }
    }

    /** The first byte of {@code ObjectStreamConstants.STREAM_MAGIC}. */
    private static final byte JAVA_STREAM_FIRST_BYTE = (byte) 0xAC;
    private static final byte NULL = 1, INT = 2, LONG = 3, DOUBLE = 4, FALSE = 5, TRUE = 6, STRING = 7, BYTES = 8,
            ARRAY = 9, CLASSES = 10;
    /** Long strings go by Java serialization, whose modified UTF-8 is shorter for most text. */
    private static final int MAX_COMPACT_CHARS = 1 << 12;
    /** Past this, an array goes by Java serialization, which reports what is too big. */
    private static final long MAX_COMPACT_BYTES = Integer.MAX_VALUE - 64;

    /**
     * {@code value}, which may be null, in the compact form if it has one (see the class comment),
     * else by Java serialization.
     */
    public static byte[] serialize(Object value) throws IOException {
        return serialize(value, null);
    }

    /**
     * {@code value}, which may be null, in the compact form if it has one (see the class comment),
     * else by Java serialization, with the classes it holds outside {@code java.**} and {@code dev.weft.**}
     * announced; {@code written}, if not null, is given each of those classes.
     *
     * @throws java.io.NotSerializableException naming the class that is not serializable
     */
    public static byte[] serialize(Object value, Consumer<Class<?>> written) throws IOException {
        byte[] compact = value instanceof Object[] array ? compactArray(array) : compact(value);
        return compact != null ? compact : javaSerialize(value, written);
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

    /**
     * The values {@link #compactArray} wrote, checked against {@code filter}'s limits as
     * {@link #deserialize} checks a payload.
     */
    public static Object[] fromCompactArray(byte[] bytes, ObjectInputFilter filter) throws IOException {
        admit(filter, new Sized(null, -1, bytes.length));
        Object value = fromCompact(bytes, filter);
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

    /**
     * The value of a compact {@code payload}; its arrays' lengths are checked against
     * {@code filter} before they are made, as Java serialization checks its arrays.
     */
    private static Object fromCompact(byte[] payload, ObjectInputFilter filter) throws IOException {
        if (payload.length == 0) {
            throw new StreamCorruptedException("an empty payload: neither a compact value nor a Java stream");
        }
        ByteBuffer in = ByteBuffer.wrap(payload);
        try {
            Object value;
            if (payload[0] == ARRAY) {
                in.get();
                int count = length(in, 1);
                admit(filter, new Sized(Object[].class, count, payload.length));
                Object[] values = new Object[count];
                for (int i = 0; i < count; i++) {
                    values[i] = get(in, filter, payload.length);
                }
                value = values;
            } else {
                value = get(in, filter, payload.length);
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

    private static Object get(ByteBuffer in, ObjectInputFilter filter, int payloadBytes) throws IOException {
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
                int length = length(in, 1);
                admit(filter, new Sized(byte[].class, length, payloadBytes));
                byte[] array = new byte[length];
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

    private static byte[] javaSerialize(Object value, Consumer<Class<?>> written) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        Set<String> announced;
        try (Announcing out = new Announcing(bytes, written)) {
            out.writeObject(value);
            announced = out.announced;
        }
        if (announced.isEmpty()) {
            return bytes.toByteArray();
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream(bytes.size() + 32 * announced.size());
        try (java.io.DataOutputStream header = new java.io.DataOutputStream(all)) {
            header.writeByte(CLASSES);
            header.writeShort(announced.size());
            for (String name : announced) {
                header.writeUTF(name);
            }
            bytes.writeTo(header);
        }
        return all.toByteArray();
    }

    /** Whether the default patterns allow {@code name}: no need to announce it. */
    private static boolean allowedByDefault(String name) {
        return name.startsWith("java.") || name.startsWith("dev.weft.");
    }

    /** An object stream that records the classes it writes a descriptor of, outside the defaults. */
    private static final class Announcing extends ObjectOutputStream {
        final Set<String> announced = new LinkedHashSet<>();
        private final Consumer<Class<?>> written;

        Announcing(ByteArrayOutputStream out, Consumer<Class<?>> written) throws IOException {
            super(out);
            this.written = written;
        }

        @Override
        protected void annotateClass(Class<?> type) {
            while (type.isArray()) {
                type = type.getComponentType();
            }
            if (type.isPrimitive() || allowedByDefault(type.getName()) || !announced.add(type.getName())) {
                return;                                 // nothing to announce, or announced already
            }
            if (announced.size() > Short.MAX_VALUE) {
                throw new IllegalStateException("more than " + Short.MAX_VALUE + " classes in one object");
            }
            if (written != null) {
                written.accept(type);
            }
        }

        @Override
        protected void annotateProxyClass(Class<?> type) {
            for (Class<?> face : type.getInterfaces()) {
                annotateClass(face);
            }
        }
    }

    /**
     * Reads one object from {@code payload} through {@code filter}, with the classes it names
     * looked up by the JDK's rule (the caller's class loader).
     *
     * @throws InvalidClassException naming the class and the call that allows it, if the filter rejects one
     */
    public static Object deserialize(byte[] payload, ObjectInputFilter filter) throws IOException,
            ClassNotFoundException {
        return deserialize(payload, filter, null);
    }

    /**
     * Reads one object from {@code payload} through {@code filter}, with the classes it names
     * looked up in {@code loader} first, if it is not null.
     *
     * @throws InvalidClassException naming the class and the call that allows it, if the filter
     *                               rejects one (the JDK's own message says only "filter status: REJECTED")
     */
    public static Object deserialize(byte[] payload, ObjectInputFilter filter, ClassLoader loader)
            throws IOException, ClassNotFoundException {
        Objects.requireNonNull(filter, "filter");       // null would read the bytes unfiltered
        // The payload's size first, whatever it holds: the JDK shows a filter no lone String (it has
        // no class descriptor to check), and the compact form is no Java stream at all.
        admit(filter, new Sized(null, -1, payload.length));
        if (payload.length > 0 && payload[0] != JAVA_STREAM_FIRST_BYTE && payload[0] != CLASSES) {
            return fromCompact(payload, filter);
        }
        ByteArrayInputStream bytes = new ByteArrayInputStream(payload);
        Set<String> announced = Set.of();
        if (payload.length > 0 && payload[0] == CLASSES) {
            java.io.DataInputStream header = new java.io.DataInputStream(bytes);
            header.readByte();
            int count = header.readUnsignedShort();
            announced = new HashSet<>(count * 2);
            for (int i = 0; i < count; i++) {
                announced.add(header.readUTF());
            }
        }
        Set<String> announcedClasses = announced;
        InvalidClassException[] refusal = {null};       // the first rejection, named
        try (ObjectInputStream in = new Resolving(bytes, loader)) {
            in.setObjectInputFilter(info -> {
                String[] reason = {null};
                ObjectInputFilter.Status status = ask(filter, info, announcedClasses, reason);
                if (status == ObjectInputFilter.Status.REJECTED && refusal[0] == null) {
                    refusal[0] = refused(filter, info, reason[0]);
                }
                return status;
            });
            return in.readObject();
        } catch (InvalidClassException e) {
            if (refusal[0] == null) {
                throw e;
            }
            refusal[0].initCause(e);
            throw refusal[0];
        }
    }

    /**
     * Asks {@code filter} about {@code info}, a value read without Java serialization's own calls
     * to it; throws as {@link #deserialize} does for what it rejects.
     */
    private static void admit(ObjectInputFilter filter, ObjectInputFilter.FilterInfo info) throws InvalidClassException {
        String[] reason = {null};
        if (ask(filter, info, Set.of(), reason) == ObjectInputFilter.Status.REJECTED) {
            throw refused(filter, info, reason[0]);
        }
    }

    /** Asks {@code filter} about {@code info}; a Weft filter also says why it rejects, in {@code reason[0]}. */
    private static ObjectInputFilter.Status ask(ObjectInputFilter filter, ObjectInputFilter.FilterInfo info,
                                                Set<String> announced, String[] reason) {
        return filter instanceof Filter f ? f.check(info, announced, reason) : filter.checkInput(info);
    }

    /**
     * What a rejection of {@code info} throws: the class and the reason, or the reason alone for a
     * limit, which names no class (the JDK's own message says only "filter status: REJECTED").
     */
    private static InvalidClassException refused(ObjectInputFilter filter, ObjectInputFilter.FilterInfo info,
                                                 String reason) {
        return new InvalidClassException(info.serialClass() != null ? info.serialClass().getName() : null,
                reason != null ? reason : "not allowed by the deserialization filter " + filter);
    }

    /** The filter's question about a value of {@code streamBytes} bytes, an array of {@code arrayLength} if that is not -1. */
    record Sized(Class<?> serialClass, long arrayLength, long streamBytes) implements ObjectInputFilter.FilterInfo {
        @Override
        public long depth() {
            return 1;
        }

        @Override
        public long references() {
            return 1;
        }
    }

    /** An object stream that looks classes up in a given loader before the JDK's choice. */
    private static final class Resolving extends ObjectInputStream {
        private final ClassLoader loader;

        Resolving(ByteArrayInputStream in, ClassLoader loader) throws IOException {
            super(in);
            this.loader = loader;
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            if (loader != null) {
                try {
                    return Class.forName(desc.getName(), false, loader);
                } catch (ClassNotFoundException e) {
                    // a primitive type's name, or a class only the JDK's choice of loader has
                }
            }
            return super.resolveClass(desc);
        }
    }
}
