package dev.weft.stress;

import dev.weft.SettableFuture;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/*
    How to run this test alone (all variants, or one):
        $ ./weft stress -t Future_01_OneOutcome
        $ ./weft stress -t Future_01_OneOutcome.CompleteVsCancel
    or, once stress-tests/target/jcstress.jar is built:
        $ java --enable-native-access=ALL-UNNAMED -jar stress-tests/target/jcstress.jar -t Future_01_OneOutcome
 */

/*
  ----------------------------------------------------------------------------------------------

    TaskFuture's state machine when two threads try to end the same future at once: complete
    against cancel, complete against completeExceptionally, completeExceptionally against
    cancel. After its own call, each actor reads the outcome with get(), which cannot block by
    then. A done callback was registered before the race. The arbiter checks the promises of
    TaskFuture's javadoc:

      r1  the final state: 1 completed, 2 failed, 3 cancelled;
      r2  how many of the two calls returned true: exactly one outcome wins;
      r3  how many times the done callback ran: exactly once;
      r4  whether both actors saw the final state through get(): 1 if both did.

    Any other tuple is FORBIDDEN: two winners or none, a callback run twice or never, an
    observer that saw an outcome other than the one that stuck, or a future not done.
    (jcstress runs at most as many actors as there are CPUs; two keeps the test runnable on a
    2-core CI machine.)
 */
public class Future_01_OneOutcome {
    static final int COMPLETED = 1, FAILED = 2, CANCELLED = 3;
    static final Exception FAILURE = new Exception("failed on purpose");

    /** The shared race: the future, the callback count, and what each actor won and saw. */
    abstract static class Race {
        final SettableFuture<Integer> future = SettableFuture.create();
        final AtomicInteger callbacks = new AtomicInteger();
        volatile boolean firstWon, secondWon;
        volatile int firstSaw, secondSaw;

        Race() {
            future.onDone(f -> callbacks.incrementAndGet());
        }

        int observe() {
            try {
                return future.get() == 42 ? COMPLETED : -COMPLETED;
            } catch (ExecutionException e) {
                return e.getCause() == FAILURE ? FAILED : -FAILED;
            } catch (CancellationException e) {
                return CANCELLED;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -4;
            }
        }

        void judge(IIII_Result r) {
            int state = switch (future.state()) {
                case SUCCESS -> COMPLETED;
                case FAILED -> FAILED;
                case CANCELLED -> CANCELLED;
                case RUNNING -> 0;
            };
            r.r1 = state;
            r.r2 = (firstWon ? 1 : 0) + (secondWon ? 1 : 0);
            r.r3 = callbacks.get();
            r.r4 = firstSaw == state && secondSaw == state ? 1 : 0;
        }
    }

    @JCStressTest
    @Outcome(id = "1, 1, 1, 1", expect = ACCEPTABLE, desc = "complete won; one callback; both saw the value")
    @Outcome(id = "3, 1, 1, 1", expect = ACCEPTABLE, desc = "cancel won; one callback; both saw the cancellation")
    @Outcome(expect = FORBIDDEN, desc = "not exactly one winner, callback, and outcome seen by both")
    @State
    public static class CompleteVsCancel extends Race {
        @Actor
        public void complete() {
            firstWon = future.complete(42);
            firstSaw = observe();
        }

        @Actor
        public void cancel() {
            secondWon = future.cancel(false);
            secondSaw = observe();
        }

        @Arbiter
        public void arbiter(IIII_Result r) {
            judge(r);
        }
    }

    @JCStressTest
    @Outcome(id = "1, 1, 1, 1", expect = ACCEPTABLE, desc = "complete won; one callback; both saw the value")
    @Outcome(id = "2, 1, 1, 1", expect = ACCEPTABLE, desc = "completeExceptionally won; one callback; both saw the failure")
    @Outcome(expect = FORBIDDEN, desc = "not exactly one winner, callback, and outcome seen by both")
    @State
    public static class CompleteVsFail extends Race {
        @Actor
        public void complete() {
            firstWon = future.complete(42);
            firstSaw = observe();
        }

        @Actor
        public void fail() {
            secondWon = future.completeExceptionally(FAILURE);
            secondSaw = observe();
        }

        @Arbiter
        public void arbiter(IIII_Result r) {
            judge(r);
        }
    }

    @JCStressTest
    @Outcome(id = "2, 1, 1, 1", expect = ACCEPTABLE, desc = "completeExceptionally won; one callback; both saw the failure")
    @Outcome(id = "3, 1, 1, 1", expect = ACCEPTABLE, desc = "cancel won; one callback; both saw the cancellation")
    @Outcome(expect = FORBIDDEN, desc = "not exactly one winner, callback, and outcome seen by both")
    @State
    public static class FailVsCancel extends Race {
        @Actor
        public void fail() {
            firstWon = future.completeExceptionally(FAILURE);
            firstSaw = observe();
        }

        @Actor
        public void cancel() {
            secondWon = future.cancel(true);
            secondSaw = observe();
        }

        @Arbiter
        public void arbiter(IIII_Result r) {
            judge(r);
        }
    }
}
