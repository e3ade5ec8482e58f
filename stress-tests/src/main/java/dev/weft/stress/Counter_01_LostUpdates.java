package dev.weft.stress;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;
import org.openjdk.jcstress.infra.results.J_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/*
    How to run this test (all variants, or one with a longer regexp):
        $ ./weft stress -t Counter_01_LostUpdates
        $ ./weft stress -t Counter_01_LostUpdates.RacyVolatile
    or, once stress-tests/target/jcstress.jar is built:
        $ java --enable-native-access=ALL-UNNAMED -jar stress-tests/target/jcstress.jar -t Counter_01_LostUpdates
 */

/*
  ----------------------------------------------------------------------------------------------

    The counter lesson, the reason for the house rule that cross-thread updates go through
    atomics or a VarHandle (STYLE.md, habit 5). Two actors each increment a shared counter
    once; the arbiter runs after both and reads the final count. Two increments must give 2.
    A final count of 1 means both actors read the same old value and one write overwrote the
    other: a lost update.

    "count++" is three steps (read, add, write), and "volatile" makes each step visible at
    once but does not make the three one step. The Racy variants show the update being lost.
    The loss needs the two increments to overlap, which a short run (sanity mode) may never
    see, so there it is ACCEPTABLE_INTERESTING, never FORBIDDEN. Every fixed variant makes the
    read-modify-write atomic, and there a lost update is FORBIDDEN: seen once, it fails the
    build.

    Each variant quotes its result table from a run of ./weft stress; docs/stress-tests.md has
    the quick mode's tables and the counts per JVM configuration.
 */
public class Counter_01_LostUpdates {

    /*
      ------------------------------------------------------------------------------------------

        A plain int: nothing orders the two read-modify-writes.

        ./weft stress (default mode, 34 forks), JDK 25, x86_64, 2 cores:
          RESULT        SAMPLES     FREQ       EXPECT  DESCRIPTION
               1    768,085,251   12.37%  Interesting  One increment lost: count++ is not atomic.
               2  5,443,061,123   87.63%   Acceptable  Both increments counted.
     */
    @JCStressTest
    @Outcome(id = "2", expect = ACCEPTABLE,             desc = "Both increments counted.")
    @Outcome(id = "1", expect = ACCEPTABLE_INTERESTING, desc = "One increment lost: count++ is not atomic.")
    @Outcome(          expect = FORBIDDEN,              desc = "Impossible count.")
    @State
    public static class RacyPlain {
        int count;

        @Actor
        public void actor1() {
            count++;
        }

        @Actor
        public void actor2() {
            count++;
        }

        @Arbiter
        public void arbiter(I_Result r) {
            r.r1 = count;
        }
    }

    /*
      ------------------------------------------------------------------------------------------

        A volatile int: each read and each write is seen at once, but the pair is not atomic,
        so the update is still lost.

        ./weft stress (default mode, 34 forks), JDK 25, x86_64, 2 cores:
          RESULT        SAMPLES     FREQ       EXPECT  DESCRIPTION
               1    284,736,257   11.97%  Interesting  One increment lost: volatile count++ is not atomic.
               2  2,093,291,397   88.03%   Acceptable  Both increments counted.
     */
    @JCStressTest
    @Outcome(id = "2", expect = ACCEPTABLE,             desc = "Both increments counted.")
    @Outcome(id = "1", expect = ACCEPTABLE_INTERESTING, desc = "One increment lost: volatile count++ is not atomic.")
    @Outcome(          expect = FORBIDDEN,              desc = "Impossible count.")
    @State
    public static class RacyVolatile {
        volatile int count;

        @Actor
        public void actor1() {
            count++;
        }

        @Actor
        public void actor2() {
            count++;
        }

        @Arbiter
        public void arbiter(I_Result r) {
            r.r1 = count;
        }
    }

    /*
      ------------------------------------------------------------------------------------------

        Fixed with synchronized: the increments exclude each other, and the monitor exit of
        the first happens-before the monitor enter of the second, so the second reads the
        first's write. The field needs no volatile.

        ./weft stress (default mode, 34 forks), JDK 25, x86_64, 2 cores:
          RESULT        SAMPLES     FREQ      EXPECT  DESCRIPTION
               1              0    0.00%   Forbidden  One increment lost under synchronized.
               2  2,193,257,094  100.00%  Acceptable  Both increments counted.
     */
    @JCStressTest
    @Outcome(id = "2", expect = ACCEPTABLE, desc = "Both increments counted.")
    @Outcome(id = "1", expect = FORBIDDEN,  desc = "One increment lost under synchronized.")
    @Outcome(          expect = FORBIDDEN,  desc = "Impossible count.")
    @State
    public static class FixedSynchronized {
        int count;

        @Actor
        public void actor1() {
            synchronized (this) {
                count++;
            }
        }

        @Actor
        public void actor2() {
            synchronized (this) {
                count++;
            }
        }

        @Arbiter
        public void arbiter(I_Result r) {
            r.r1 = count;
        }
    }

    /*
      ------------------------------------------------------------------------------------------

        Fixed with a ReentrantLock: the same mutual exclusion and the same happens-before
        (unlock before the next lock). On JDK 21 it is the lock to hold around code that may
        block, since a virtual thread blocked inside synchronized pins its carrier there.

        ./weft stress (default mode, 34 forks), JDK 25, x86_64, 2 cores:
          RESULT        SAMPLES     FREQ      EXPECT  DESCRIPTION
               1              0    0.00%   Forbidden  One increment lost under the lock.
               2  1,281,180,294  100.00%  Acceptable  Both increments counted.
     */
    @JCStressTest
    @Outcome(id = "2", expect = ACCEPTABLE, desc = "Both increments counted.")
    @Outcome(id = "1", expect = FORBIDDEN,  desc = "One increment lost under the lock.")
    @Outcome(          expect = FORBIDDEN,  desc = "Impossible count.")
    @State
    public static class FixedReentrantLock {
        final ReentrantLock lock = new ReentrantLock();
        int count;

        @Actor
        public void actor1() {
            lock.lock();
            try {
                count++;
            } finally {
                lock.unlock();
            }
        }

        @Actor
        public void actor2() {
            lock.lock();
            try {
                count++;
            } finally {
                lock.unlock();
            }
        }

        @Arbiter
        public void arbiter(I_Result r) {
            r.r1 = count;
        }
    }

    /*
      ------------------------------------------------------------------------------------------

        Fixed with AtomicLong: incrementAndGet is one atomic read-modify-write (a CAS loop or
        a locked add), with volatile memory effects.

        ./weft stress (default mode, 34 forks), JDK 25, x86_64, 2 cores:
          RESULT        SAMPLES     FREQ      EXPECT  DESCRIPTION
               1              0    0.00%   Forbidden  One increment lost by AtomicLong.
               2  2,799,291,014  100.00%  Acceptable  Both increments counted.
     */
    @JCStressTest
    @Outcome(id = "2", expect = ACCEPTABLE, desc = "Both increments counted.")
    @Outcome(id = "1", expect = FORBIDDEN,  desc = "One increment lost by AtomicLong.")
    @Outcome(          expect = FORBIDDEN,  desc = "Impossible count.")
    @State
    public static class FixedAtomicLong {
        final AtomicLong count = new AtomicLong();

        @Actor
        public void actor1() {
            count.incrementAndGet();
        }

        @Actor
        public void actor2() {
            count.incrementAndGet();
        }

        @Arbiter
        public void arbiter(J_Result r) {
            r.r1 = count.get();
        }
    }

    /*
      ------------------------------------------------------------------------------------------

        Fixed with LongAdder: contended increments go to separate cells, and sum() adds the
        cells up. sum() is exact only once the increments have stopped, as they have when
        the arbiter runs; a sum() taken while actors still add may miss the latest ones.

        ./weft stress (default mode, 34 forks), JDK 25, x86_64, 2 cores:
          RESULT        SAMPLES     FREQ      EXPECT  DESCRIPTION
               1              0    0.00%   Forbidden  One increment lost by LongAdder.
               2  2,291,489,414  100.00%  Acceptable  Both increments counted.
     */
    @JCStressTest
    @Outcome(id = "2", expect = ACCEPTABLE, desc = "Both increments counted.")
    @Outcome(id = "1", expect = FORBIDDEN,  desc = "One increment lost by LongAdder.")
    @Outcome(          expect = FORBIDDEN,  desc = "Impossible count.")
    @State
    public static class FixedLongAdder {
        final LongAdder count = new LongAdder();

        @Actor
        public void actor1() {
            count.increment();
        }

        @Actor
        public void actor2() {
            count.increment();
        }

        @Arbiter
        public void arbiter(J_Result r) {
            r.r1 = count.sum();
        }
    }

    /*
      ------------------------------------------------------------------------------------------

        Fixed with VarHandle.getAndAdd on a plain int field: the atomic add of AtomicInteger
        without the extra object per counter. The arbiter may read the field plainly: jcstress
        runs it after both actors have finished, and orders it after them.

        ./weft stress (default mode, 34 forks), JDK 25, x86_64, 2 cores:
          RESULT        SAMPLES     FREQ      EXPECT  DESCRIPTION
               1              0    0.00%   Forbidden  One increment lost by getAndAdd.
               2  3,526,115,974  100.00%  Acceptable  Both increments counted.
     */
    @JCStressTest
    @Outcome(id = "2", expect = ACCEPTABLE, desc = "Both increments counted.")
    @Outcome(id = "1", expect = FORBIDDEN,  desc = "One increment lost by getAndAdd.")
    @Outcome(          expect = FORBIDDEN,  desc = "Impossible count.")
    @State
    public static class FixedVarHandle {
        static final VarHandle COUNT;

        static {
            try {
                COUNT = MethodHandles.lookup().findVarHandle(FixedVarHandle.class, "count", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        int count;

        @Actor
        public void actor1() {
            COUNT.getAndAdd(this, 1);
        }

        @Actor
        public void actor2() {
            COUNT.getAndAdd(this, 1);
        }

        @Arbiter
        public void arbiter(I_Result r) {
            r.r1 = count;
        }
    }
}
