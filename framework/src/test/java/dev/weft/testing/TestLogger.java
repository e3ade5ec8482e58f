package dev.weft.testing;

import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.event.LoggingEvent;
import org.slf4j.simple.SimpleLogger;

/**
 * The tests' logger: slf4j-simple's, except that it does not print what a test provoked on
 * purpose. A log call whose throwable is a {@link Boom}, or is caused by one, reports a failure a
 * test threw to see Weft carry on (a callback that throws, a task run by {@code execute} that
 * fails); printed, it would show a passing build as WARN lines with stack traces. Every other call
 * is printed as slf4j-simple prints it, so an unexpected failure still shows.
 *
 * <p>Thread-safe as slf4j-simple's logger is; it adds no state.
 */
final class TestLogger extends SimpleLogger {
    private static final long serialVersionUID = 1L;

    TestLogger(String name) {
        super(name);
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String messagePattern, Object[] arguments,
            Throwable throwable) {
        if (!provokedOnPurpose(throwable)) {
            super.handleNormalizedLoggingCall(level, marker, messagePattern, arguments, throwable);
        }
    }

    @Override
    public void log(LoggingEvent event) {
        if (!provokedOnPurpose(event.getThrowable())) {
            super.log(event);
        }
    }

    /** Whether {@code failure}, or one of its causes, is a {@link Boom}. */
    static boolean provokedOnPurpose(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof Boom) {
                return true;
            }
        }
        return false;
    }
}
