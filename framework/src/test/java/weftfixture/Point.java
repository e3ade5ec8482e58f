package weftfixture;

import java.io.Serializable;

/** A serializable value outside {@code dev.weft}, which a process pool's filter rejects unless allowed. */
public record Point(int x, int y) implements Serializable {
}
