package com.example.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Pool;
import dev.weft.ProcessPool;
import dev.weft.ResultIterator;
import dev.weft.SerializableFunction;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A lazy map of a remote pool meets an item it cannot send: as RemoteMapper's class comment says. */
class LazyRemoteMapTest {

    @Test
    void anItemThatCannotBeSentFailsTheIteratorCallThatSubmitsIt() {
        List<Object> items = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            items.add(i == 250 ? new Object() : i);
        }
        try (ProcessPool pool = Pool.processes(c -> c.withWorkers(1))) {
            ResultIterator<Object> results = pool.imap((SerializableFunction<Object, Object>) x -> x, items, 1);
            List<Object> seen = new ArrayList<>();
            assertThatThrownBy(() -> {
                while (results.hasNext()) {
                    seen.add(results.next());
                }
            }).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java.lang.Object");
            assertThat(seen).isNotEmpty().hasSizeLessThan(250);
            for (int i = 0; i < seen.size(); i++) {
                assertThat(seen.get(i)).isEqualTo(i);
            }
        }
    }
}
