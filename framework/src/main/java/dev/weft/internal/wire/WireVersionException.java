package dev.weft.internal.wire;

import java.io.IOException;

/**
 * Bytes from another JVM written by a Weft of another wire format (see {@link WireFormat}): its
 * message names both versions. Weft throws it; it is not for applications to create.
 *
 * @since 0.1
 */
public final class WireVersionException extends IOException {
    private static final long serialVersionUID = 1L;

    WireVersionException(String message, Throwable cause) {
        super(message, cause);
    }
}
