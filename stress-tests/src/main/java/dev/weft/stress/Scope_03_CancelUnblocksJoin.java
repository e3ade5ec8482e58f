package dev.weft.stress;

import dev.weft.FailedException;
import dev.weft.TaskScope;
import dev.weft.TaskScope.Joiner;
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
    How to run this test alone (all variants, or one):
        $ ./weft stress -t Scope_03_CancelUnblocksJoin
        $ ./weft stress -t Scope_03_CancelUnblocksJoin.OwnerInterrupted
    or, once stress-tests/target/jcstress.jar is built:
        $ java --enable-native-access=ALL-UNNAMED -jar stress-tests/target/jcstress.jar -t Scope_03_CancelUnblocksJoin
 */

/*
  ----------------------------------------------------------------------------------------------

    Cancellation unblocks a waiting join, and close: jcstress's termination mode. The actor is
    a scope's owner; it forks a subtask that blocks until it is interrupted (on a latch nobody
    opens, without a time limit), waits in join, then closes the scope. Only a cancellation
    that reaches the blocked subtask lets join and close return. The @Signal, sent while the
    actor runs (possibly before it has reached join), triggers that cancellation from another
    thread, in one of the ways a scope is cancelled:

      FailureCancels   a second subtask, waiting for the signal, fails: allSuccessful cancels;
      SuccessCancels   a second subtask, waiting for the signal, succeeds: anySuccessful cancels;
      OwnerInterrupted the signal interrupts the owner: join throws InterruptedException and
                       cancels, and close must still wait for the blocked subtask to end.

    (close itself is owner-only, so it cannot be the signal; the third variant is the path in
    which close finds a subtask still running and cancels it.)

    TERMINATED is the only acceptable outcome; STALE (the actor still blocked long after the
    signal: a lost cancellation, a lost wake-up of the owner, or a close that never returns) is
    FORBIDDEN, and so is ERROR (the actor threw something it should not have).
 */
public class Scope_03_CancelUnblocksJoin {
    static final Exception FAILURE = new Exception("failed on purpose");

    /*
        allSuccessful: the signal lets the second subtask fail.

        ./weft stress -sc false (default mode, 8 forks), JDK 25, x86_64, 2 cores, load 24-145:
              RESULT  SAMPLES     FREQ      EXPECT  DESCRIPTION
          TERMINATED   26,472  100.00%  Acceptable  The failure cancelled the blocked subtask; join and close returned.
     */
    @JCStressTest(Mode.Termination)
    @Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "The failure cancelled the blocked subtask; join and close returned.")
    @Outcome(id = "STALE",      expect = FORBIDDEN,  desc = "join or close still blocked after the failure.")
    @Outcome(                   expect = FORBIDDEN,  desc = "ERROR: the actor threw (a wrong join outcome).")
    @State
    public static class FailureCancels {
        final CountDownLatch never = new CountDownLatch(1);
        final CountDownLatch gate = new CountDownLatch(1);

        @Actor
        public void owner() throws InterruptedException {
            try (var scope = TaskScope.open()) {
                scope.fork(() -> {
                    never.await();
                    return null;
                });
                scope.fork(() -> {
                    gate.await();
                    throw FAILURE;
                });
                try {
                    scope.join();
                    throw new IllegalStateException("join returned although a subtask failed");
                } catch (FailedException expected) {
                    if (expected.getCause() != FAILURE) {
                        throw new IllegalStateException("wrong cause", expected);
                    }
                }
            }
        }

        @Signal
        public void signal() {
            gate.countDown();
        }
    }

    /*
        anySuccessful: the signal lets the second subtask succeed.

        ./weft stress -sc false (default mode, 8 forks), JDK 25, x86_64, 2 cores, load 24-145:
              RESULT  SAMPLES     FREQ      EXPECT  DESCRIPTION
          TERMINATED   24,223  100.00%  Acceptable  The success cancelled the blocked subtask; join and close returned.
     */
    @JCStressTest(Mode.Termination)
    @Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "The success cancelled the blocked subtask; join and close returned.")
    @Outcome(id = "STALE",      expect = FORBIDDEN,  desc = "join or close still blocked after the success.")
    @Outcome(                   expect = FORBIDDEN,  desc = "ERROR: the actor threw (a wrong join outcome).")
    @State
    public static class SuccessCancels {
        final CountDownLatch never = new CountDownLatch(1);
        final CountDownLatch gate = new CountDownLatch(1);

        @Actor
        public void owner() throws InterruptedException {
            try (var scope = TaskScope.open(Joiner.<Integer>anySuccessful())) {
                scope.fork(() -> {
                    never.await();
                    return 1;
                });
                scope.fork(() -> {
                    gate.await();
                    return 2;
                });
                if (scope.join() != 2) {
                    throw new IllegalStateException("join returned the blocked subtask's value");
                }
            }
        }

        @Signal
        public void signal() {
            gate.countDown();
        }
    }

    /*
        The signal interrupts the owner, wherever it is: in join, or still forking (then join
        sees the interrupt status at once).

        ./weft stress -sc false (default mode, 8 forks), JDK 25, x86_64, 2 cores, load 24-145:
              RESULT  SAMPLES     FREQ      EXPECT  DESCRIPTION
          TERMINATED   29,639  100.00%  Acceptable  join threw InterruptedException; close cancelled and waited.
     */
    @JCStressTest(Mode.Termination)
    @Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "join threw InterruptedException; close cancelled and waited.")
    @Outcome(id = "STALE",      expect = FORBIDDEN,  desc = "join or close still blocked after the interrupt.")
    @Outcome(                   expect = FORBIDDEN,  desc = "ERROR: the actor threw (a wrong join outcome).")
    @State
    public static class OwnerInterrupted {
        final CountDownLatch never = new CountDownLatch(1);
        volatile Thread owner;

        @Actor
        public void owner() {
            owner = Thread.currentThread();
            try (var scope = TaskScope.open()) {
                scope.fork(() -> {
                    never.await();
                    return null;
                });
                scope.join();
                throw new IllegalStateException("join returned although its subtask never ended");
            } catch (InterruptedException expected) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new IllegalStateException("close left the interrupt status set");
                }
                // the test's point: join gave up on the interrupt, close cancelled and waited
            }
        }

        @Signal
        public void signal() {
            Thread t;
            while ((t = owner) == null) {
                Thread.onSpinWait();    // the actor has started; it publishes itself first thing
            }
            t.interrupt();
        }
    }
}
