package com.example.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.TaskScope;
import dev.weft.TaskScope.Joiner;
import dev.weft.TaskScope.Subtask;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Two promises of a scope as a program outside Weft's packages meets them, each found broken from
 * the outside: a built-in join policy serves one scope only, and a deadline cancels a scope only
 * if it passes before the scope is joined.
 */
class ScopePromisesTest {

    static Stream<Arguments> builtInPolicies() {
        Supplier<Joiner<Object, ?>> allSuccessful = Joiner::allSuccessful;
        Supplier<Joiner<Object, ?>> anySuccessful = Joiner::anySuccessful;
        Supplier<Joiner<Object, ?>> awaitAll = Joiner::awaitAll;
        Supplier<Joiner<Object, ?>> allUntil = () -> Joiner.allUntil(s -> s.state() == Future.State.FAILED);
        return Stream.of(Arguments.of("Joiner.allSuccessful()", allSuccessful),
                Arguments.of("Joiner.anySuccessful()", anySuccessful),
                Arguments.of("Joiner.awaitAll()", awaitAll),
                Arguments.of("Joiner.allUntil(cancelWhen)", allUntil));
    }

    /**
     * A second scope opened with a built-in policy that served a first one is refused at open,
     * saying what to do; before, it was accepted and joined to the first scope's results or
     * failure.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("builtInPolicies")
    void aBuiltInPolicyServesOneScopeOnly(String factory, Supplier<Joiner<Object, ?>> policies) throws Exception {
        Joiner<Object, ?> policy = policies.get();
        try (var first = TaskScope.open(policy)) {
            first.fork(() -> "first");
            first.join();
        }

        assertThatThrownBy(() -> TaskScope.open(policy)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("this " + factory + " policy already serves a scope")
                .hasMessageContaining("call " + factory + " again for each scope you open");

        try (var next = TaskScope.open(policies.get())) {       // the refusal left no scope open
            Subtask<Object> subtask = next.fork(() -> "next");
            next.join();
            assertThat(subtask.get()).isEqualTo("next");
        }
    }

    /** The refusal does not wait for the first scope to end: a policy in use is refused as well. */
    @Test
    void aPolicyInUseIsRefusedToASecondScope() throws Exception {
        Joiner<String, List<String>> policy = Joiner.allSuccessful();
        try (var first = TaskScope.open(policy)) {
            assertThatThrownBy(() -> TaskScope.open(policy)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already serves a scope");
            Subtask<String> subtask = first.fork(() -> "first");
            assertThat(first.join()).containsExactly("first");
            assertThat(subtask.state()).isEqualTo(Future.State.SUCCESS);
        }
    }

    /**
     * A deadline that passes after a successful join cancels nothing: the scope stays
     * uncancelled until it closes. The wait past the deadline only shows that nothing happens.
     */
    @Test
    void aDeadlineThatPassesAfterTheJoinCancelsNothing() throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(1));
        try (var scope = TaskScope.open(Joiner.<Integer>allSuccessful(), c -> c.withDeadline(deadline))) {
            scope.fork(() -> 1);
            assertThat(scope.join()).containsExactly(1);
            assertThat(scope.isCancelled()).isFalse();

            Instant past = deadline.plus(Duration.ofMillis(300));
            for (Instant now = Instant.now(); now.isBefore(past); now = Instant.now()) {
                Thread.sleep(Duration.between(now, past));
            }

            assertThat(scope.isCancelled()).as("cancelled by a deadline that passed after the join").isFalse();
        }
    }
}
