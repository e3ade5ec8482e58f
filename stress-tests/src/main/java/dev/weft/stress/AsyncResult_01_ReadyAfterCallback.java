package dev.weft.stress;

import dev.weft.AsyncResult;
import dev.weft.Pool;
import java.time.Duration;
import java.util.List;
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
        $ ./weft stress -t AsyncResult_01_ReadyAfterCallback
        $ ./weft stress -t AsyncResult_01_ReadyAfterCallback.MapAsync
    or, once stress-tests/target/jcstress.jar is built:
        $ java --enable-native-access=ALL-UNNAMED -jar stress-tests/target/jcstress.jar -t AsyncResult_01_ReadyAfterCallback
 */

/*
  ----------------------------------------------------------------------------------------------

    AsyncResult's promise: a result becomes ready() only after its callback has returned, so a
    thread that sees it ready sees the callback's effects, and get() then returns the value at
    once. One actor submits with applyAsync (or mapAsync) and a callback that writes a PLAIN
    field; the other actor watches the result: it polls ready() until it turns true, and at the
    first true reads the callback's field and get(). The arbiter waits (bounded) for the result
    and counts the callback's runs.

      r1  1 if the watcher saw the result not ready before it saw it ready (it watched the
          moment it turned), 0 if it was ready at the first look;
      r2  the callback's field, read at the first ready() == true: must be 42;
      r3  what get() returned then: must be 42;
      r4  how many times the callback ran: must be 1.

    A result ready before its callback ran, or whose callback's write is not visible, gives
    r2 = 0: FORBIDDEN. So are a wrong value, a callback run twice or never, and (-1 in r1) a
    watcher that saw nothing ready within 10 s.

    The pool is one IO pool for the whole run: its virtual threads do not keep the forked VM
    alive, and it starts a thread per task, so samples share nothing else.
 */
public class AsyncResult_01_ReadyAfterCallback {
    static final Pool POOL = Pool.io();
    static final long LIMIT = Duration.ofSeconds(10).toNanos();

    /** What the two actors share: the result once submitted, and the callback's effects. */
    abstract static class Watched<T> {
        volatile AsyncResult<T> published;
        final AtomicInteger callbacks = new AtomicInteger();
        /** Written by the callback, plainly; read by the watcher after ready(). */
        int effect;

        /** Polls until the result is submitted and ready; reports what it saw at that moment. */
        void watch(IIII_Result r) {
            long deadline = System.nanoTime() + LIMIT;
            AsyncResult<T> result;
            while ((result = published) == null) {
                if (System.nanoTime() - deadline > 0) {
                    r.r1 = -1;
                    return;
                }
                Thread.onSpinWait();
            }
            r.r1 = 0;
            while (!result.ready()) {
                r.r1 = 1;
                if (System.nanoTime() - deadline > 0) {
                    r.r1 = -1;
                    return;
                }
                Thread.yield();
            }
            r.r2 = effect;
            try {
                r.r3 = valueOf(result.get());
            } catch (InterruptedException | RuntimeException e) {
                r.r3 = -1;
            }
        }

        abstract int valueOf(T value);

        void count(IIII_Result r) {
            try {
                published.waitFor(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            r.r4 = callbacks.get();
        }
    }

    /*
        applyAsync(x -> x + 1, 41, callback): one task; the callback runs in its thread.

        ./weft stress -sc false (default mode, 8 forks), JDK 25, x86_64, 2 cores, load 24-145:
                RESULT    SAMPLES     FREQ      EXPECT  DESCRIPTION
          0, 42, 42, 1  4,337,693   95.84%  Acceptable  Ready at the first look; the callback's write and the value seen.
          1, 42, 42, 1    188,455    4.16%  Acceptable  Watched it turn ready; the callback's write and the value seen.
     */
    @JCStressTest
    @Outcome(id = "0, 42, 42, 1", expect = ACCEPTABLE, desc = "Ready at the first look; the callback's write and the value seen.")
    @Outcome(id = "1, 42, 42, 1", expect = ACCEPTABLE, desc = "Watched it turn ready; the callback's write and the value seen.")
    @Outcome(expect = FORBIDDEN, desc = "Ready before the callback's write was visible, a wrong value, or a callback run other than once.")
    @State
    public static class ApplyAsync extends Watched<Integer> {
        @Actor
        public void submitter() {
            published = POOL.applyAsync(x -> x + 1, 41, value -> {
                effect = value;
                callbacks.incrementAndGet();
            }, failure -> callbacks.incrementAndGet());
        }

        @Actor
        public void watcher(IIII_Result r) {
            watch(r);
        }

        @Arbiter
        public void arbiter(IIII_Result r) {
            count(r);
        }

        @Override
        int valueOf(Integer value) {
            return value;
        }
    }

    /*
        mapAsync over two items in chunks of one: two tasks; the callback runs in the thread of
        whichever finishes last, which decides that the map is complete.

        ./weft stress -sc false (default mode, 8 forks), JDK 25, x86_64, 2 cores, load 24-145:
                RESULT    SAMPLES     FREQ      EXPECT  DESCRIPTION
          0, 42, 42, 1  3,616,163   94.16%  Acceptable  Ready at the first look; the callback's write and the values seen.
          1, 42, 42, 1    224,351    5.84%  Acceptable  Watched it turn ready; the callback's write and the values seen.
     */
    @JCStressTest
    @Outcome(id = "0, 42, 42, 1", expect = ACCEPTABLE, desc = "Ready at the first look; the callback's write and the values seen.")
    @Outcome(id = "1, 42, 42, 1", expect = ACCEPTABLE, desc = "Watched it turn ready; the callback's write and the values seen.")
    @Outcome(expect = FORBIDDEN, desc = "Ready before the callback's write was visible, a wrong value, or a callback run other than once.")
    @State
    public static class MapAsync extends Watched<List<Integer>> {
        @Actor
        public void submitter() {
            published = POOL.mapAsync(x -> x * 2, List.of(20, 1), 1, values -> {
                effect = sum(values);
                callbacks.incrementAndGet();
            }, failure -> callbacks.incrementAndGet());
        }

        @Actor
        public void watcher(IIII_Result r) {
            watch(r);
        }

        @Arbiter
        public void arbiter(IIII_Result r) {
            count(r);
        }

        @Override
        int valueOf(List<Integer> values) {
            return sum(values);
        }

        static int sum(List<Integer> values) {
            return values.get(0) + values.get(1);
        }
    }
}
