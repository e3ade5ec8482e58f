package dev.weft;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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
        $ ./weft stress -t Future_02_HandOff
    or, once stress-tests/target/jcstress.jar is built:
        $ java --enable-native-access=ALL-UNNAMED -jar stress-tests/target/jcstress.jar -t Future_02_HandOff
 */

/*
  ----------------------------------------------------------------------------------------------

    TaskFuture.completeHandingOff, which a cluster pool calls in Hazelcast's threads, where no
    callback may run: one actor completes the future that way, handing what is left to run to a
    list (the pool's completer thread), while the other adds a done callback. Whichever comes
    first, the callback must run exactly once, and never in the completing thread: either it was
    on the future when it completed, and was handed off (the arbiter then runs what was handed,
    as the completer would), or it came after, and ran in the thread that added it. In the
    package dev.weft, since the method is the pool's, not the API's.

      r1  how many times the callback ran;
      r2  how many runnables the completing thread handed off;
      r3  1 if the callback ran inside the completing call (a thread-local marks it: jcstress
          may run the arbiter in an actor's thread).
 */
@JCStressTest
@Outcome(id = "1, 1, 0", expect = ACCEPTABLE, desc = "added before completion: handed off, ran once in the completer")
@Outcome(id = "1, 0, 0", expect = ACCEPTABLE, desc = "added after completion: ran once, in the thread that added it")
@Outcome(expect = FORBIDDEN, desc = "the callback ran twice or never, or inside the completing call")
@State
public class Future_02_HandOff {
    final SettableFuture<Integer> future = SettableFuture.create();
    final AtomicInteger runs = new AtomicInteger();
    final List<Runnable> handed = new CopyOnWriteArrayList<>();
    volatile boolean ranInCompleting;
    /** True in a thread while it is inside completeHandingOff. */
    static final ThreadLocal<Boolean> COMPLETING = ThreadLocal.withInitial(() -> false);

    @Actor
    public void complete() {
        COMPLETING.set(true);
        try {
            future.completeHandingOff(42, handed::add);
        } finally {
            COMPLETING.set(false);
        }
    }

    @Actor
    public void addCallback() {
        future.onDone(f -> {
            runs.incrementAndGet();
            if (COMPLETING.get()) {
                ranInCompleting = true;
            }
        });
    }

    @Arbiter
    public void arbiter(III_Result r) {
        int handedOff = handed.size();
        handed.forEach(Runnable::run);
        r.r1 = runs.get();
        r.r2 = handedOff;
        r.r3 = ranInCompleting ? 1 : 0;
    }
}
