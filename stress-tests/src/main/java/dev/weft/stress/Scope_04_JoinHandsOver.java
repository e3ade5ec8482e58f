package dev.weft.stress;

import dev.weft.TaskScope;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/*
    How to run this test alone (both variants, or one):
        $ ./weft stress -t Scope_04_JoinHandsOver
        $ ./weft stress -t Scope_04_JoinHandsOver.NewestEndsFirst
    or, once stress-tests/target/jcstress.jar is built:
        $ java --enable-native-access=ALL-UNNAMED -jar stress-tests/target/jcstress.jar -t Scope_04_JoinHandsOver
 */

/*
  ----------------------------------------------------------------------------------------------

    join waits in two steps (ScopeImpl.awaitAll): first for the thread of the newest subtask to
    end, while no finishing subtask wakes the owner; then, if subtasks are still out, parked until
    the last of them wakes it. The hand-over between the two is a Dekker pair: the owner writes
    that it waits for all and then reads the count of finished subtasks; a finishing subtask
    counts itself and then reads what the owner waits for. If either order broke, the last
    subtask could finish unseen between the owner's two steps, and join would wait forever.

    jcstress's termination mode: the actor is the owner; it forks two subtasks and joins. One of
    them waits for the @Signal, which opens its gate at a random moment of the actor's run: before
    the fork, while the owner waits for the newest thread, during the hand-over, or while it is
    parked. TERMINATED (join returned both results, close returned) is the only acceptable
    outcome; STALE (still blocked long after the signal: a lost wake-up) is FORBIDDEN, and so is
    ERROR (the actor threw: a wrong result).

      NewestEndsFirst  the older subtask waits for the signal; the newest ends at once, so the
                       owner's first step is short and the hand-over races with the signal;
      NewestEndsLast   the newest waits for the signal; the older ends at once, in the owner's
                       first step, when no subtask wakes it.
 */
public class Scope_04_JoinHandsOver {

    /*
        The older subtask waits for the signal; the newest ends at once.
     */
    @JCStressTest(Mode.Termination)
    @Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "join saw both subtasks end and returned; close returned.")
    @Outcome(id = "STALE",      expect = FORBIDDEN,  desc = "join still blocked after the last subtask ended: a lost wake-up.")
    @Outcome(                   expect = FORBIDDEN,  desc = "ERROR: the actor threw (a wrong join result).")
    @State
    public static class NewestEndsFirst {
        final CountDownLatch gate = new CountDownLatch(1);

        @Actor
        public void owner() throws InterruptedException {
            try (var scope = TaskScope.<Integer>open()) {
                scope.fork(() -> {
                    gate.await();
                    return 1;
                });
                scope.fork(() -> 2);
                check(scope.join());
            }
        }

        @Signal
        public void signal() {
            gate.countDown();
        }
    }

    /*
        The newest subtask waits for the signal; the older ends at once.
     */
    @JCStressTest(Mode.Termination)
    @Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "join saw both subtasks end and returned; close returned.")
    @Outcome(id = "STALE",      expect = FORBIDDEN,  desc = "join still blocked after the last subtask ended: a lost wake-up.")
    @Outcome(                   expect = FORBIDDEN,  desc = "ERROR: the actor threw (a wrong join result).")
    @State
    public static class NewestEndsLast {
        final CountDownLatch gate = new CountDownLatch(1);

        @Actor
        public void owner() throws InterruptedException {
            try (var scope = TaskScope.<Integer>open()) {
                scope.fork(() -> 1);
                scope.fork(() -> {
                    gate.await();
                    return 2;
                });
                check(scope.join());
            }
        }

        @Signal
        public void signal() {
            gate.countDown();
        }
    }

    static void check(List<Integer> results) {
        if (!results.equals(List.of(1, 2))) {
            throw new IllegalStateException("join returned " + results + ", not [1, 2]");
        }
    }
}
