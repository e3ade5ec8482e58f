package dev.weft.stress;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jcstress.infra.results.IIIIII_Result;

/**
 * The counters of {@link Counter_01_LostUpdates} behind one interface, for the tests that
 * increment them from Weft's own threads (a scope's subtasks, a pool's workers), and the meeting
 * point that makes two such increments overlap. Counter_01 spells each one out; here they are
 * the same code, one class each.
 *
 * <p>{@code get()} reads the plain fields (plain, synchronized, lock, VarHandle) without any
 * synchronization of its own: called after a join, only the join's happens-before edge makes the
 * last increment visible, so these counters test that edge as well as the increments.
 */
final class Counters {
    private Counters() {
    }

    /** The outcome of {@link #read}: every counter counted both increments. */
    static final String ALL_COUNTED = "2, 2, 2, 2, 2, 2";
    /** The outcome of {@link #read}: the plain counter lost one increment, the others none. */
    static final String PLAIN_LOST_ONE = "1, 2, 2, 2, 2, 2";

    /**
     * The six counters, in the order of {@link #read}'s results: plain, synchronized,
     * ReentrantLock, VarHandle, AtomicLong, LongAdder. The ones read plainly come first, so that
     * no volatile read of a later one can lend them a happens-before edge.
     */
    static Counter[] all() {
        return new Counter[] {plain(), synchronizedInt(), reentrantLock(), varHandle(), atomicLong(), longAdder()};
    }

    /** Increments each counter once, in order. */
    static void incrementAll(Counter[] counters) {
        for (Counter counter : counters) {
            counter.increment();
        }
    }

    /**
     * Returns the body of one of two incrementers (subtasks or pool tasks): meet the other one,
     * then increment each counter once.
     */
    static Callable<Void> meetThenIncrementAll(Counter[] counters) {
        CountDownLatch meeting = new CountDownLatch(2);
        return () -> {
            meet(meeting);
            incrementAll(counters);
            return null;
        };
    }

    /** Reads the six counters of {@link #all()} into r1 to r6, in order. */
    static void read(Counter[] counters, IIIIII_Result r) {
        r.r1 = (int) counters[0].get();
        r.r2 = (int) counters[1].get();
        r.r3 = (int) counters[2].get();
        r.r4 = (int) counters[3].get();
        r.r5 = (int) counters[4].get();
        r.r6 = (int) counters[5].get();
    }

    /** A shared count: increment from any thread; read once the incrementers are done. */
    interface Counter {
        void increment();

        long get();
    }

    /** {@code count++} on a plain field: loses updates. */
    static Counter plain() {
        return new Counter() {
            private int count;

            @Override
            public void increment() {
                count++;
            }

            @Override
            public long get() {
                return count;
            }
        };
    }

    /** {@code count++} inside {@code synchronized}; read plainly. */
    static Counter synchronizedInt() {
        return new Counter() {
            private int count;

            @Override
            public synchronized void increment() {
                count++;
            }

            @Override
            public long get() {
                return count;
            }
        };
    }

    /** {@code count++} under a {@link ReentrantLock}; read plainly. */
    static Counter reentrantLock() {
        return new Counter() {
            private final ReentrantLock lock = new ReentrantLock();
            private int count;

            @Override
            public void increment() {
                lock.lock();
                try {
                    count++;
                } finally {
                    lock.unlock();
                }
            }

            @Override
            public long get() {
                return count;
            }
        };
    }

    /** {@link AtomicLong#incrementAndGet()}. */
    static Counter atomicLong() {
        AtomicLong count = new AtomicLong();
        return new Counter() {
            @Override
            public void increment() {
                count.incrementAndGet();
            }

            @Override
            public long get() {
                return count.get();
            }
        };
    }

    /** {@link LongAdder#increment()}, read with {@link LongAdder#sum()}. */
    static Counter longAdder() {
        LongAdder count = new LongAdder();
        return new Counter() {
            @Override
            public void increment() {
                count.increment();
            }

            @Override
            public long get() {
                return count.sum();
            }
        };
    }

    /** {@link VarHandle#getAndAdd} on a plain int field, read plainly. */
    static Counter varHandle() {
        return new VarHandleCounter();
    }

    private static final class VarHandleCounter implements Counter {
        private static final VarHandle COUNT;

        static {
            try {
                COUNT = MethodHandles.lookup().findVarHandle(VarHandleCounter.class, "count", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private int count;

        @Override
        public void increment() {
            COUNT.getAndAdd(this, 1);
        }

        @Override
        public long get() {
            return count;
        }
    }

    /**
     * Counts down {@code meeting} and returns once it is open, so that what two callers do next
     * overlaps (a lost update needs two increments at the same moment). It spins a little, then
     * blocks: a virtual thread must not spin for long, since with one carrier (jcstress may give
     * a forked VM a single CPU) the other caller might never run. Spinning with Thread.yield()
     * is no way out: the first version of this method did, and hung such a VM for ten minutes,
     * the yielding subtask rescheduled on the one carrier again and again while the other,
     * started from the owner's platform thread, never got it.
     */
    static void meet(CountDownLatch meeting) throws InterruptedException {
        meeting.countDown();
        for (int spins = 0; spins < 1_000 && meeting.getCount() > 0; spins++) {
            Thread.onSpinWait();
        }
        meeting.await();
    }
}
