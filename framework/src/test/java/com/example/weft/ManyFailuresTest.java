package com.example.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.weft.FailedException;
import dev.weft.Pool;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A map whose 1,000 items all fail: the exception prints 16 later failures, says how many more there
 * are, and {@code failures()} holds every one, in input order, also after a trip through Java
 * serialization.
 */
class ManyFailuresTest {
    @Test
    void aThousandFailuresAreKeptButOnlySixteenSuppressed() throws Exception {
        List<Integer> items = IntStream.range(0, 1_000).boxed().toList();
        FailedException e;
        try (Pool pool = Pool.cpu()) {
            e = catchThrowableOfType(FailedException.class, () -> pool.map(i -> {
                throw new IllegalStateException("item " + i);
            }, items));
        }
        assertThat(e.getCause()).hasMessage("item 0");
        assertThat(e.getSuppressed()).hasSize(FailedException.MAX_SUPPRESSED).extracting(Throwable::getMessage)
                .containsExactlyElementsOf(IntStream.rangeClosed(1, 16).mapToObj(i -> "item " + i).toList());
        assertThat(e.getMessage()).startsWith("1000 of 1000 items failed")
                .endsWith("[16 later failures are suppressed, 983 more are in failures()]");
        assertThat(e.failures()).extracting(Throwable::getMessage)
                .containsExactlyElementsOf(items.stream().map(i -> "item " + i).toList());

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(e);
        }
        FailedException copy = (FailedException) new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))
                .readObject();
        assertThat(copy.failures()).hasSize(1_000);
        assertThat(copy.getSuppressed()).hasSize(16);
    }

    @Test
    void fewFailuresAreAllSuppressedAndTheMessageIsUnchanged() {
        FailedException e = new FailedException("two failed", new IllegalStateException("a"),
                List.of(new IllegalStateException("b")));
        assertThat(e).hasMessage("two failed");
        assertThat(e.getSuppressed()).hasSize(1);
        assertThat(e.failures()).hasSize(2);
    }
}
