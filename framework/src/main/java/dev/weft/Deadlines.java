package dev.weft;

import java.time.Duration;
import java.time.Instant;

/** Deadline arithmetic that saturates instead of overflowing, for "wait forever"-sized timeouts. */
final class Deadlines {
    private Deadlines() {
    }

    /** Returns now plus {@code timeout}, or {@link Instant#MAX} if that does not fit. */
    static Instant fromNow(Duration timeout) {
        try {
            return Instant.now().plus(timeout);
        } catch (ArithmeticException | java.time.DateTimeException e) {
            return Instant.MAX;
        }
    }

    /** Returns the {@link System#nanoTime()} value at which {@code deadline} passes, saturated. */
    static long toNanoTime(Instant deadline) {
        long left = nanosBetween(Instant.now(), deadline);
        long now = System.nanoTime();
        // Keep a quarter of the range as head room so that later subtractions cannot overflow.
        return left >= Long.MAX_VALUE / 4 ? now + Long.MAX_VALUE / 4 : now + left;
    }

    /** Returns the {@link System#nanoTime()} value {@code timeout} from now, saturated. */
    static long toNanoTime(Duration timeout) {
        long now = System.nanoTime();
        long left = saturatedNanos(timeout);
        return left >= Long.MAX_VALUE / 4 ? now + Long.MAX_VALUE / 4 : now + left;
    }

    /** Returns the nanoseconds in {@code d}, saturated to the long range. */
    static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    private static long nanosBetween(Instant from, Instant to) {
        return saturatedNanos(Duration.between(from, to));
    }
}
