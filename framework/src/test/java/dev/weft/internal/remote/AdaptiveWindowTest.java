package dev.weft.internal.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The cluster pool's window: wide for tasks that do not wait in the member's queue, narrow for those that do. */
class AdaptiveWindowTest {
    private static final long MICROS = 1_000, MILLIS = 1_000_000;

    /** It starts at its least, and each task out no longer than the shortest plus the target widens it by one, up to its most. */
    @Test
    void tasksThatDoNotWaitWidenItOneByOneUpToItsMost() {
        AdaptiveWindow window = new AdaptiveWindow(4, 10);
        assertThat(window.size()).isEqualTo(4);
        window.ended(150 * MICROS);
        assertThat(window.size()).isEqualTo(5);
        window.ended(150 * MICROS + AdaptiveWindow.TARGET_NANOS - 1);
        assertThat(window.size()).isEqualTo(6);
        for (int i = 0; i < 20; i++) {
            window.ended(200 * MICROS);
        }
        assertThat(window.size()).isEqualTo(10);
    }

    /** Tasks that wait more than twice the target beyond the shortest narrow it by one each, down to its least. */
    @Test
    void tasksThatWaitNarrowItDownToItsLeast() {
        AdaptiveWindow window = new AdaptiveWindow(4, 64);
        for (int i = 0; i < 10; i++) {
            window.ended(150 * MICROS);
        }
        assertThat(window.size()).isEqualTo(14);
        window.ended(150 * MICROS + 2 * AdaptiveWindow.TARGET_NANOS + 1);
        assertThat(window.size()).isEqualTo(13);
        for (int i = 0; i < 20; i++) {
            window.ended(5 * MILLIS);
        }
        assertThat(window.size()).isEqualTo(4);
    }

    /** Between the target and twice it, the window holds; a task of several milliseconds that never waits still widens it. */
    @Test
    void itHoldsBetweenTheTargetAndTwiceItAndJudgesWaitNotLength() {
        AdaptiveWindow window = new AdaptiveWindow(2, 8);
        window.ended(20 * MILLIS);
        window.ended(20 * MILLIS);
        assertThat(window.size()).isEqualTo(4);
        window.ended(20 * MILLIS + AdaptiveWindow.TARGET_NANOS + AdaptiveWindow.TARGET_NANOS / 2);
        assertThat(window.size()).isEqualTo(4);
        window.ended(25 * MILLIS);
        assertThat(window.size()).isEqualTo(3);
    }

    @Test
    void badBoundsAreRefused() {
        assertThatThrownBy(() -> new AdaptiveWindow(0, 4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("least <= most");
        assertThatThrownBy(() -> new AdaptiveWindow(5, 4)).isInstanceOf(IllegalArgumentException.class);
    }
}
