package dev.weft.stress;

import dev.weft.Pool;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/*
    How to run this test alone:
        $ ./weft stress -t Pool_01_ShutdownVsSubmit
    or, once stress-tests/target/jcstress.jar is built:
        $ java --enable-native-access=ALL-UNNAMED -jar stress-tests/target/jcstress.jar -t Pool_01_ShutdownVsSubmit
 */

/*
  ----------------------------------------------------------------------------------------------

    Nothing is lost when a pool is shut down while a task is being submitted. One actor submits
    a task that counts its runs; the other shuts the pool down. The arbiter waits (bounded) for
    the pool to terminate and reports:

      r1  1 if submit was rejected (RejectedExecutionException), 0 if it was accepted;
      r2  how many times the task ran;
      r3  1 if the pool terminated within the bound.

    A task is either accepted and run exactly once, or rejected and never run; the pool always
    terminates. Anything else (accepted but never run: a lost task; run twice; rejected but run;
    never terminating) is FORBIDDEN.

    The pool is an IO pool: it starts no thread until a task is submitted, so a pool per sample
    is cheap. (A CPU pool starts its workers at once; the state machine that decides accept or
    reject is the same code.)
 */
@JCStressTest
@Outcome(id = "0, 1, 1", expect = ACCEPTABLE, desc = "submit won the race: the task ran once, then the pool terminated")
@Outcome(id = "1, 0, 1", expect = ACCEPTABLE, desc = "shutdown won the race: the task was rejected and never ran")
@Outcome(expect = FORBIDDEN, desc = "a task lost, run twice, run after rejection, or a pool that did not terminate")
@State
public class Pool_01_ShutdownVsSubmit {
    private final Pool pool = Pool.io();
    private final AtomicInteger runs = new AtomicInteger();
    private volatile boolean rejected;

    @Actor
    public void submit() {
        try {
            pool.submit(runs::incrementAndGet);
        } catch (RejectedExecutionException e) {
            rejected = true;
        }
    }

    @Actor
    public void shutdown() {
        pool.shutdown();
    }

    @Arbiter
    public void arbiter(III_Result r) {
        boolean terminated;
        try {
            terminated = pool.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            terminated = false;
        }
        r.r1 = rejected ? 1 : 0;
        r.r2 = runs.get();
        r.r3 = terminated ? 1 : 0;
    }
}
