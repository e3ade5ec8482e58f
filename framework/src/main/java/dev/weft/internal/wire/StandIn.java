package dev.weft.internal.wire;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.NotSerializableException;

/**
 * What a worker or member says instead of a task's outcome that it could not serialize: the
 * exception's class name, its message with why it could not cross, and its stack trace; or, for a
 * result, that the result could not cross and why. The receiving pool makes a
 * {@code RemoteTaskException} of it.
 *
 * @param className the class of the exception that was thrown, or of {@link NotSerializableException}
 *                  for a result
 * @param message   the words, never null
 * @param stack     where it was thrown: the exception's stack trace, or none for a result
 */
public record StandIn(String className, String message, StackTraceElement[] stack) {

    /** The stand-in for {@code outcome}, a task's result or exception, which {@code why} kept from crossing. */
    public static StandIn of(Object outcome, Exception why) {
        if (outcome instanceof Throwable t) {
            return new StandIn(t.getClass().getName(), t.getMessage() + " [the exception could not be serialized: "
                    + why + "]", t.getStackTrace());
        }
        return new StandIn(NotSerializableException.class.getName(), "the task's result, of " + outcome.getClass()
                + ", could not be serialized: " + why, new StackTraceElement[0]);
    }

    /**
     * {@code t}, ready to cross as a task's exception. Two that the JVM throws itself would lose
     * something on the way, so they cross as copies made by their constructors, with the same
     * stack trace (and cause and suppressed exceptions):
     * <ul>
     * <li>a {@link NullPointerException} computes its helpful message ("Cannot invoke ... because
     *     ... is null") from where it was thrown, which serialization does not keep;</li>
     * <li>a {@link StackOverflowError} is made without its constructor: its cause is null for good
     *     and it takes no suppressed exception, so the receiving pool could not say where it was
     *     thrown.</li>
     * </ul>
     * Any other is {@code t} itself.
     */
    public static Throwable portable(Throwable t) {
        Throwable copy;
        if (t.getClass() == NullPointerException.class && t.getMessage() != null) {
            copy = new NullPointerException(t.getMessage());
        } else if (t.getClass() == StackOverflowError.class) {
            copy = new StackOverflowError(t.getMessage());
        } else {
            return t;
        }
        copy.setStackTrace(t.getStackTrace());
        if (t.getCause() != null) {
            copy.initCause(t.getCause());
        }
        for (Throwable s : t.getSuppressed()) {
            copy.addSuppressed(s);
        }
        return copy;
    }

    /** Writes the stand-in for {@link #read}. */
    public void write(DataOutput out) throws IOException {
        out.writeUTF(bounded(className));
        out.writeUTF(bounded(message));
        out.writeInt(stack.length);
        for (StackTraceElement e : stack) {
            out.writeUTF(bounded(e.getClassName()));
            out.writeUTF(bounded(e.getMethodName()));
            out.writeUTF(e.getFileName() == null ? "" : bounded(e.getFileName()));
            out.writeInt(e.getLineNumber());
        }
    }

    /** {@code s}, cut to what {@link DataOutput#writeUTF} can write whatever its characters (3 bytes each at most). */
    private static String bounded(String s) {
        return s.length() <= MAX_CHARS ? s : s.substring(0, MAX_CHARS - 1) + "\u2026";
    }

    private static final int MAX_CHARS = 65_535 / 3;

    /** The stand-in {@link #write} wrote. */
    public static StandIn read(DataInput in) throws IOException {
        String className = in.readUTF();
        String message = in.readUTF();
        int n = in.readInt();
        if (n < 0 || n > 65_536) {
            throw new java.io.StreamCorruptedException("a stand-in with " + n + " stack frames");
        }
        StackTraceElement[] stack = new StackTraceElement[n];
        for (int i = 0; i < n; i++) {
            String declaring = in.readUTF();
            String method = in.readUTF();
            String file = in.readUTF();
            stack[i] = new StackTraceElement(declaring, method, file.isEmpty() ? null : file, in.readInt());
        }
        return new StandIn(className, message, stack);
    }
}
