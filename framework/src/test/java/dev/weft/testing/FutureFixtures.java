package dev.weft.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.SettableFuture;
import java.io.IOException;

/**
 * A new {@link SettableFuture} in each state, as CPython's {@code test/test_concurrent_futures/util.py}
 * provides them ({@code PENDING_FUTURE}, {@code RUNNING_FUTURE}, ...). Each call returns a new future;
 * each factory checks that the future took the state it is named after. Meant to be imported
 * statically.
 */
public final class FutureFixtures {
    private FutureFixtures() {
    }

    /** A future nobody has started, completed or cancelled. */
    public static SettableFuture<Integer> pending() {
        return SettableFuture.create();
    }

    /** Running in the calling thread; never cancel it with an interrupt. */
    public static SettableFuture<Integer> running() {
        SettableFuture<Integer> f = SettableFuture.create();
        assertThat(f.markRunning()).isTrue();
        return f;
    }

    /** Cancelled before it ran. */
    public static SettableFuture<Integer> cancelled() {
        SettableFuture<Integer> f = SettableFuture.create();
        assertThat(f.cancel(false)).isTrue();
        return f;
    }

    /** Failed with {@code new IOException("failed")}. */
    public static SettableFuture<Integer> failed() {
        return failed(new IOException("failed"));
    }

    /** Failed with {@code exception}. */
    public static SettableFuture<Integer> failed(Throwable exception) {
        SettableFuture<Integer> f = SettableFuture.create();
        assertThat(f.completeExceptionally(exception)).isTrue();
        return f;
    }

    /** Succeeded with 42. */
    public static SettableFuture<Integer> successful() {
        return successful(42);
    }

    /** Succeeded with {@code value} (which may be null). */
    public static SettableFuture<Integer> successful(Integer value) {
        SettableFuture<Integer> f = SettableFuture.create();
        assertThat(f.complete(value)).isTrue();
        return f;
    }
}
