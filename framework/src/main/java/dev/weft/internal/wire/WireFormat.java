package dev.weft.internal.wire;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Objects;
import java.util.Properties;

/**
 * The version of what crosses between JVMs: every envelope of the cluster pool (a task sent to a
 * member, the outcome it sends back) starts with a header, {@link #MAGIC}, {@link #VERSION} and
 * this Weft's {@link #release()}, and a process pool's setup carries the same. A reader that finds
 * another version refuses the envelope with a {@link WireVersionException} that names both
 * versions and both releases, before it reads anything else, instead of misreading what follows.
 * Internal: both remote pools and the cluster engine's members use it.
 *
 * @since 0.1
 */
public final class WireFormat {
    /** The first two bytes of every header: "Wf". */
    public static final short MAGIC = 0x5766;
    /** Raised whenever the bytes that cross between JVMs change, in any way; both ends must agree. */
    public static final int VERSION = 4;

    private WireFormat() {
    }

    /**
     * This Weft's release, as its build wrote it ({@code 0.1.0}), or {@code unknown}. Read when
     * first asked for: a worker, which reads the parent's header and names the releases only when
     * the versions differ, never opens its jar for it.
     *
     * @return the release
     */
    public static String release() {
        return Release.NAME;
    }

    /** Holds the release, read from the jar's {@code weft.properties} when it is first needed. */
    private static final class Release {
        static final String NAME = read();

        private static String read() {
            try (InputStream in = WireFormat.class.getResourceAsStream("weft.properties")) {
                Properties p = new Properties();
                if (in != null) {
                    p.load(in);
                }
                String release = p.getProperty("release", "unknown");
                return release.startsWith("${") ? "unknown" : release;
            } catch (IOException e) {
                return "unknown";
            }
        }
    }

    /** Writes the header: {@link #MAGIC}, {@link #VERSION}, {@link #release()}. */
    public static void writeHeader(DataOutput out) throws IOException {
        writeHeader(out, VERSION, release());
    }

    /** Writes a header of another version, as a Weft of another release would: for tests that play one. */
    public static void writeHeader(DataOutput out, int version, String release) throws IOException {
        out.writeShort(MAGIC);
        out.writeInt(version);
        out.writeUTF(release);
    }

    /**
     * Reads a header and checks that it is this version's.
     *
     * @param what what the envelope is, from whom, for the message ("a task from member 10.0.0.5:5701")
     * @throws WireVersionException if the bytes are not a header, or one of another version
     */
    public static void readHeader(DataInput in, String what) throws IOException {
        Objects.requireNonNull(what, "what");
        short magic;
        try {
            magic = in.readShort();
        } catch (IOException e) {
            throw new WireVersionException(what + " is too short to be a Weft envelope", e);
        }
        if (magic != MAGIC) {
            throw new WireVersionException(what + " has no Weft version header (it starts with 0x"
                    + String.format("%04x", magic & 0xffff) + "): it was written by a Weft older than 0.1.0, or by "
                    + "something else. This Weft is " + release() + " (wire format " + VERSION
                    + "); run the same Weft release on every JVM that works together", null);
        }
        check(in.readInt(), in.readUTF(), what);
    }

    /**
     * Checks that {@code version}, read from {@code what}, written by Weft {@code release}, is this
     * Weft's {@link #VERSION}.
     *
     * @throws WireVersionException if it is not, naming both versions and both releases
     */
    public static void check(int version, String release, String what) throws WireVersionException {
        Objects.requireNonNull(release, "release");
        Objects.requireNonNull(what, "what");
        if (version != VERSION) {
            throw new WireVersionException(what + " was written by Weft " + release + " (wire format " + version
                    + "), and this JVM runs Weft " + release() + " (wire format " + VERSION + "): run the same Weft "
                    + "release on every JVM that works together", null);
        }
    }

    /** {@code payload} behind a header. */
    public static byte[] seal(byte[] payload) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(payload.length + 16 + release().length());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writeHeader(out);
            out.write(payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** What {@link #seal} sealed, once its header is checked; {@code what} as for {@link #readHeader}. */
    public static byte[] open(byte[] sealed, String what) throws IOException {
        Objects.requireNonNull(sealed, "sealed");
        Objects.requireNonNull(what, "what");
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(sealed));
        readHeader(in, what);
        return Arrays.copyOfRange(sealed, sealed.length - in.available(), sealed.length);
    }
}
