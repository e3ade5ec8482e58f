package dev.weft.stress;

import dev.weft.SharedCounter;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJ_Result;
import org.openjdk.jcstress.infra.results.J_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/*
    How to run this test:
        $ ./weft stress -t Counter_02_SharedAcrossMappings
 */

/*
  ----------------------------------------------------------------------------------------------

    Weft's SharedCounter, the twin of Python's multiprocessing.Value, in one JVM: the in-process
    half of its proof (the cross-process half is SharedCounterTest, with worker JVMs). Two
    actors update the same counter through two different mappings of its file, as two
    processes would: each mapping is a separate MappedByteBuffer over the same pages, and only
    the atomic VarHandle operation on the shared memory keeps the updates from being lost. A
    lost update is FORBIDDEN.

    The counters come from two big files made once (a mapping per state would exhaust the
    process's mappings); each state takes the next slot, mapped twice, and zeroes it.
 */
public class Counter_02_SharedAcrossMappings {
    private static final int SLOTS = 1 << 20;
    private static final List<SharedCounter> FIRST = SharedCounter.createMany(SLOTS);
    private static final List<SharedCounter> SECOND = SharedCounter.openMany(FIRST.get(0).path());
    private static final AtomicInteger NEXT = new AtomicInteger();

    /** One slot, seen through both mappings. */
    static class Slot {
        final SharedCounter a;
        final SharedCounter b;

        Slot() {
            int i = Math.floorMod(NEXT.getAndIncrement(), SLOTS);
            a = FIRST.get(i);
            b = SECOND.get(i);
            a.set(0);
        }
    }

    /*
        Two increments, one through each mapping: the final value is 2.
     */
    @JCStressTest
    @Outcome(id = "2", expect = ACCEPTABLE, desc = "Both increments counted.")
    @Outcome(          expect = FORBIDDEN,  desc = "An update was lost across the two mappings.")
    @State
    public static class Increments extends Slot {
        @Actor
        public void actor1() {
            a.incrementAndGet();
        }

        @Actor
        public void actor2() {
            b.incrementAndGet();
        }

        @Arbiter
        public void arbiter(J_Result r) {
            r.r1 = a.get();
        }
    }

    /*
        The values each actor got back are distinct (1 and 2 in some order): each saw the
        other's update or none, never the same old value.
     */
    @JCStressTest
    @Outcome(id = {"1, 2", "2, 1"}, expect = ACCEPTABLE, desc = "Each update saw a distinct value.")
    @Outcome(                       expect = FORBIDDEN,  desc = "Both updates read the same old value.")
    @State
    public static class ReturnedValues extends Slot {
        @Actor
        public void actor1(JJ_Result r) {
            r.r1 = a.addAndGet(1);
        }

        @Actor
        public void actor2(JJ_Result r) {
            r.r2 = b.addAndGet(1);
        }
    }
}
