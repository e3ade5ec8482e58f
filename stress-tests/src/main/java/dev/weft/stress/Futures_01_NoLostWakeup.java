package dev.weft.stress;

import dev.weft.Futures;
import dev.weft.Futures.Waited;
import dev.weft.ReturnWhen;
import dev.weft.SettableFuture;
import dev.weft.TaskFuture;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

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
        $ ./weft stress -t Futures_01_NoLostWakeup
        $ ./weft stress -t Futures_01_NoLostWakeup.AsCompleted
    or, once stress-tests/target/jcstress.jar is built:
        $ java --enable-native-access=ALL-UNNAMED -jar stress-tests/target/jcstress.jar -t Futures_01_NoLostWakeup
 */

/*
  ----------------------------------------------------------------------------------------------

    No lost wake-up in Futures.wait and Futures.asCompleted: jcstress's termination mode. The
    actor waits, without a timeout, for two futures, one of them already done and one pending;
    the @Signal completes the pending one while the actor is anywhere in the call: before it
    has looked at the futures, between looking (not done) and attaching its listener (the
    window in which a wake-up is classically lost), or already parked. The call must return
    every time.

      Wait             wait(ALL_COMPLETED) over TaskFutures (a removable listener);
      WaitCompletable  the same over CompletableFutures (a whenComplete action);
      AsCompleted      asCompleted over TaskFutures: next() twice.

    TERMINATED is the only acceptable outcome. STALE (still waiting long after the completion)
    is a lost wake-up: FORBIDDEN. ERROR (the call returned without the completed future) is
    FORBIDDEN too.

    Python's test_concurrent_futures checks the same with a sleep before the completion; here
    jcstress varies the timing over many thousands of samples. The regular test
    FuturesRaceTest adds the many-futures case: 100 completed at once from many threads.
 */
public class Futures_01_NoLostWakeup {

    /*
        wait(ALL_COMPLETED) over a done TaskFuture and a pending one.

        ./weft stress -sc false (default mode, 8 forks), JDK 25, x86_64, 2 cores, load 24-145:
              RESULT  SAMPLES     FREQ      EXPECT  DESCRIPTION
          TERMINATED   27,806  100.00%  Acceptable  wait returned with both futures done.
     */
    @JCStressTest(Mode.Termination)
    @Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "wait returned with both futures done.")
    @Outcome(id = "STALE",      expect = FORBIDDEN,  desc = "Lost wake-up: wait still blocked after the completion.")
    @Outcome(                   expect = FORBIDDEN,  desc = "ERROR: wait returned without the completed future.")
    @State
    public static class Wait {
        final SettableFuture<Integer> done = SettableFuture.create();
        final SettableFuture<Integer> pending = SettableFuture.create();

        public Wait() {
            done.complete(1);
        }

        @Actor
        public void waiter() throws InterruptedException {
            Waited<TaskFuture<Integer>> w = Futures.wait(List.of(done, pending), ReturnWhen.ALL_COMPLETED);
            if (w.done().size() != 2 || !w.notDone().isEmpty()) {
                throw new IllegalStateException("wait returned " + w);
            }
        }

        @Signal
        public void signal() {
            pending.complete(2);
        }
    }

    /*
        The same over CompletableFutures, which are watched through whenComplete.

        ./weft stress -sc false (default mode, 8 forks), JDK 25, x86_64, 2 cores, load 24-145:
              RESULT  SAMPLES     FREQ      EXPECT  DESCRIPTION
          TERMINATED   29,095  100.00%  Acceptable  wait returned with both futures done.
     */
    @JCStressTest(Mode.Termination)
    @Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "wait returned with both futures done.")
    @Outcome(id = "STALE",      expect = FORBIDDEN,  desc = "Lost wake-up: wait still blocked after the completion.")
    @Outcome(                   expect = FORBIDDEN,  desc = "ERROR: wait returned without the completed future.")
    @State
    public static class WaitCompletable {
        final CompletableFuture<Integer> done = CompletableFuture.completedFuture(1);
        final CompletableFuture<Integer> pending = new CompletableFuture<>();

        @Actor
        public void waiter() throws InterruptedException {
            Waited<CompletableFuture<Integer>> w =
                    Futures.wait(List.of(done, pending), ReturnWhen.ALL_COMPLETED);
            if (w.done().size() != 2 || !w.notDone().isEmpty()) {
                throw new IllegalStateException("wait returned " + w);
            }
        }

        @Signal
        public void signal() {
            pending.complete(2);
        }
    }

    /*
        asCompleted: the done future first, then the pending one once the signal completes it.

        ./weft stress -sc false (default mode, 8 forks), JDK 25, x86_64, 2 cores, load 24-145:
              RESULT  SAMPLES     FREQ      EXPECT  DESCRIPTION
          TERMINATED   29,372  100.00%  Acceptable  The iterator returned both futures.
     */
    @JCStressTest(Mode.Termination)
    @Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "The iterator returned both futures.")
    @Outcome(id = "STALE",      expect = FORBIDDEN,  desc = "Lost wake-up: next() still blocked after the completion.")
    @Outcome(                   expect = FORBIDDEN,  desc = "ERROR: the iterator returned a wrong future or ended early.")
    @State
    public static class AsCompleted {
        final SettableFuture<Integer> done = SettableFuture.create();
        final SettableFuture<Integer> pending = SettableFuture.create();

        public AsCompleted() {
            done.complete(1);
        }

        @Actor
        public void waiter() {
            Iterator<Future<Integer>> it = Futures.<Future<Integer>>asCompleted(List.of(done, pending)).iterator();
            if (it.next() != done || it.next() != pending || it.hasNext()) {
                throw new IllegalStateException("asCompleted returned the futures out of order or too many");
            }
        }

        @Signal
        public void signal() {
            pending.complete(2);
        }
    }
}
