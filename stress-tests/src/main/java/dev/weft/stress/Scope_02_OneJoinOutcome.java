package dev.weft.stress;

import dev.weft.FailedException;
import dev.weft.TaskScope;
import dev.weft.TaskScope.Joiner;
import dev.weft.TaskScope.Subtask;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/*
    How to run this test alone (all variants, or one):
        $ ./weft stress -t Scope_02_OneJoinOutcome
        $ ./weft stress -t Scope_02_OneJoinOutcome.AllSuccessful
    or, once stress-tests/target/jcstress.jar is built:
        $ java --enable-native-access=ALL-UNNAMED -jar stress-tests/target/jcstress.jar -t Scope_02_OneJoinOutcome
 */

/*
  ----------------------------------------------------------------------------------------------

    A scope whose subtasks succeed and fail at the same moment, under each built-in join policy.
    The owner actor opens the scope and forks three subtasks:

      a  waits until the other actor opens a gate, then succeeds or fails;
      b  succeeds or fails at once;
      c  blocks until it is cancelled (bounded: after 10 s it gives up and succeeds, which no
         outcome allows, so a cancellation that never reached it fails the test, not hangs it).

    The other actor opens a's gate, so a's outcome races b's and the policy's cancellation. The
    owner joins, then reports the join's outcome and the subtasks' final states (1 SUCCESS,
    2 FAILED, 3 CANCELLED, 0 RUNNING). The invariants, as FORBIDDEN:

      - join has exactly one outcome, the policy's: it returns what the policy says or throws
        the failure it says, never the other;
      - a subtask that was interrupted by the cancellation ends CANCELLED, not FAILED;
      - cancellation reaches every unfinished sibling: c always ends CANCELLED where the policy
        cancels.
 */
public class Scope_02_OneJoinOutcome {
    static final Exception FAIL_A = new Exception("a failed on purpose");
    static final Exception FAIL_B = new Exception("b failed on purpose");
    static final int SUCCESS = 1, FAILED = 2, CANCELLED = 3;

    /** The gate, the blocker, and the subtasks' handles, which only the owner touches. */
    abstract static class Race {
        /** Opened by the second actor; a waits for it. */
        final CountDownLatch gate = new CountDownLatch(1);
        /** Never opened: c waits on it until cancelled. */
        final CountDownLatch never = new CountDownLatch(1);
        Subtask<Integer> a, b, c;

        /** Forks a (after the gate: {@code 1} or FAIL_A), b (at once: {@code 2} or FAIL_B) and c. */
        void forkAll(TaskScope<Integer, ?> scope, boolean aFails, boolean bFails) {
            a = scope.fork(() -> {
                gate.await();
                if (aFails) {
                    throw FAIL_A;
                }
                return 1;
            });
            b = scope.fork(() -> {
                if (bFails) {
                    throw FAIL_B;
                }
                return 2;
            });
            c = scope.fork(() -> {
                never.await(10, TimeUnit.SECONDS);
                return 3;      // not cancelled within 10 s
            });
        }

        /**
         * The owner's side for the policies that return: forks a, b and c, joins, and reports
         * {@code outcome} of what join returned in r1 (-1 if it threw), the states of a, b, c in
         * r2 to r4.
         */
        <R> void forkJoinReport(IIII_Result r, Joiner<Integer, R> policy, boolean aFails, boolean bFails,
                                ToIntFunction<R> outcome) {
            try (var scope = TaskScope.open(policy)) {
                forkAll(scope, aFails, bFails);
                try {
                    r.r1 = outcome.applyAsInt(scope.join());
                } catch (FailedException e) {
                    r.r1 = -1;
                }
                r.r2 = state(a);
                r.r3 = state(b);
                r.r4 = state(c);
            } catch (InterruptedException e) {
                r.r1 = -2;
            }
        }

        static int state(Subtask<?> subtask) {
            return switch (subtask.state()) {
                case SUCCESS -> SUCCESS;
                case FAILED -> FAILED;
                case CANCELLED -> CANCELLED;
                case RUNNING -> 0;
            };
        }
    }

    /*
        allSuccessful, a and b both fail: join throws one FailedException whose cause is one of
        the two failures; the other is a suppressed exception if its subtask ended FAILED, and
        absent if it was cancelled first (a interrupted at its gate). r1: the cause (1 FAIL_A,
        2 FAIL_B, 0 join returned, -1 anything else); r2: the number of suppressed failures;
        r3: 1 if cause and suppressed are exactly the failures of the subtasks that ended
        FAILED; r4: c's state.

        ./weft stress -sc false (default mode, 8 forks), JDK 25, x86_64, 2 cores, load 24-145:
              RESULT    SAMPLES     FREQ      EXPECT  DESCRIPTION
          1, 0, 1, 3  3,070,249   91.42%  Acceptable  a failed first; b was cancelled before it ran
          1, 1, 1, 3      2,402    0.07%  Acceptable  a failed first; b's failure is suppressed
          2, 0, 1, 3    284,961    8.48%  Acceptable  b failed first; a was cancelled at its gate
          2, 1, 1, 3        798    0.02%  Acceptable  b failed first; a's failure is suppressed
     */
    @JCStressTest
    @Outcome(id = "1, 0, 1, 3", expect = ACCEPTABLE, desc = "a failed first; b was cancelled before it ran")
    @Outcome(id = "1, 1, 1, 3", expect = ACCEPTABLE, desc = "a failed first; b's failure is suppressed")
    @Outcome(id = "2, 0, 1, 3", expect = ACCEPTABLE, desc = "b failed first; a was cancelled at its gate")
    @Outcome(id = "2, 1, 1, 3", expect = ACCEPTABLE, desc = "b failed first; a's failure is suppressed")
    @Outcome(expect = FORBIDDEN, desc = "join returned, lost or invented a failure, or c was not cancelled")
    @State
    public static class AllSuccessful extends Race {
        @Actor
        public void owner(IIII_Result r) {
            try (var scope = TaskScope.<Integer>open()) {
                forkAll(scope, true, true);
                try {
                    scope.join();
                    r.r1 = 0;
                } catch (FailedException e) {
                    Throwable cause = e.getCause();
                    r.r1 = cause == FAIL_A ? 1 : cause == FAIL_B ? 2 : -1;
                    r.r2 = e.getSuppressed().length;
                    List<Throwable> expected = new java.util.ArrayList<>();
                    if (a.state() == Future.State.FAILED) {
                        expected.add(a.exception());
                    }
                    if (b.state() == Future.State.FAILED) {
                        expected.add(b.exception());
                    }
                    List<Throwable> reported = e.failures();
                    r.r3 = reported.size() == expected.size() && reported.containsAll(expected) ? 1 : 0;
                }
                r.r4 = state(c);
            } catch (InterruptedException e) {
                r.r1 = -2;
            }
        }

        @Actor
        public void opener() {
            gate.countDown();
        }
    }

    /*
        anySuccessful, a and b both succeed: join returns the value of the first success, which
        cancels the rest; the subtask whose value it returned is SUCCESS. r1: the value join
        returned (1 from a, 2 from b, -1 it threw); r2, r3, r4: the states of a, b, c.

        ./weft stress -sc false (default mode, 8 forks), JDK 25, x86_64, 2 cores, load 24-145:
              RESULT    SAMPLES     FREQ      EXPECT  DESCRIPTION
          1, 1, 1, 3      1,126    0.04%  Acceptable  a won; b succeeded too
          1, 1, 3, 3  2,845,755   89.15%  Acceptable  a won; b was cancelled before it ran
          2, 1, 1, 3        421    0.01%  Acceptable  b won; a succeeded too
          2, 3, 1, 3    344,813   10.80%  Acceptable  b won; a was cancelled at its gate
     */
    @JCStressTest
    @Outcome(id = "1, 1, 1, 3", expect = ACCEPTABLE, desc = "a won; b succeeded too")
    @Outcome(id = "1, 1, 3, 3", expect = ACCEPTABLE, desc = "a won; b was cancelled before it ran")
    @Outcome(id = "2, 1, 1, 3", expect = ACCEPTABLE, desc = "b won; a succeeded too")
    @Outcome(id = "2, 3, 1, 3", expect = ACCEPTABLE, desc = "b won; a was cancelled at its gate")
    @Outcome(expect = FORBIDDEN, desc = "join threw, returned a loser's value, or c was not cancelled")
    @State
    public static class AnySuccessful extends Race {
        @Actor
        public void owner(IIII_Result r) {
            forkJoinReport(r, Joiner.<Integer>anySuccessful(), false, false, value -> value);
        }

        @Actor
        public void opener() {
            gate.countDown();
        }
    }

    /*
        allUntil(FAILED), Python's wait(FIRST_EXCEPTION), with a failing and b succeeding: a's
        failure cancels the rest, and join returns all three subtasks, in fork order, without
        throwing. r1: 1 if join returned [a, b, c]; r2, r3, r4: their states.

        ./weft stress -sc false (default mode, 8 forks), JDK 25, x86_64, 2 cores, load 24-145:
              RESULT    SAMPLES     FREQ      EXPECT  DESCRIPTION
          1, 2, 1, 3     10,277    0.34%  Acceptable  b succeeded before a's failure cancelled c
          1, 2, 3, 3  3,020,501   99.66%  Acceptable  a failed before b ran: b and c cancelled
     */
    @JCStressTest
    @Outcome(id = "1, 2, 1, 3", expect = ACCEPTABLE, desc = "b succeeded before a's failure cancelled c")
    @Outcome(id = "1, 2, 3, 3", expect = ACCEPTABLE, desc = "a failed before b ran: b and c cancelled")
    @Outcome(expect = FORBIDDEN, desc = "join threw or lost a subtask, a did not fail, or c was not cancelled")
    @State
    public static class AllUntilFailed extends Race {
        @Actor
        public void owner(IIII_Result r) {
            forkJoinReport(r, Joiner.<Integer>allUntil(s -> s.state() == Future.State.FAILED), true, false,
                    all -> all.equals(List.of(a, b, c)) ? 1 : 0);
        }

        @Actor
        public void opener() {
            gate.countDown();
        }
    }

    /*
        awaitAll, with a failing and b succeeding: nothing is cancelled, so there is no c (it
        would wait its 10 s); join returns [a, b] with a FAILED and b SUCCESS, whatever the
        order. r1: 1 if join returned [a, b]; r2, r3: their states; r4: 1 if the scope was not
        cancelled.

        ./weft stress -sc false (default mode, 8 forks), JDK 25, x86_64, 2 cores, load 24-145:
              RESULT    SAMPLES     FREQ      EXPECT  DESCRIPTION
          1, 2, 1, 1  2,922,606  100.00%  Acceptable  both outcomes kept; nothing cancelled
     */
    @JCStressTest
    @Outcome(id = "1, 2, 1, 1", expect = ACCEPTABLE, desc = "both outcomes kept; nothing cancelled")
    @Outcome(expect = FORBIDDEN, desc = "join threw or lost a subtask, an outcome changed, or the scope was cancelled")
    @State
    public static class AwaitAll extends Race {
        @Actor
        public void owner(IIII_Result r) {
            try (var scope = TaskScope.open(Joiner.<Integer>awaitAll())) {
                a = scope.fork(() -> {
                    gate.await();
                    throw FAIL_A;
                });
                b = scope.fork(() -> 2);
                try {
                    r.r1 = scope.join().equals(List.of(a, b)) ? 1 : 0;
                } catch (FailedException e) {
                    r.r1 = -1;
                }
                r.r2 = state(a);
                r.r3 = state(b);
                r.r4 = scope.isCancelled() ? 0 : 1;
            } catch (InterruptedException e) {
                r.r1 = -2;
            }
        }

        @Actor
        public void opener() {
            gate.countDown();
        }
    }
}
