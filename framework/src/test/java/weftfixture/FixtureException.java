package weftfixture;

/** An exception outside {@code dev.weft}. */
public class FixtureException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public FixtureException(String message) {
        super(message);
    }
}
