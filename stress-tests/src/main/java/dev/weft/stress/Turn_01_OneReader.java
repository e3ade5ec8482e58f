package dev.weft.stress;

import dev.weft.internal.process.ReadTurn;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/*
    How to run this test alone:
        $ ./weft stress -t Turn_01_OneReader
    or, once stress-tests/target/jcstress.jar is built:
        $ java --enable-native-access=ALL-UNNAMED -jar stress-tests/target/jcstress.jar -t Turn_01_OneReader
 */

/*
  ----------------------------------------------------------------------------------------------

    A process pool's ReadTurn: a worker's reader has offered its turn to read the channel, and
    at once takes it back (the next frame came), while a thread that waits for an answer takes
    it, reads, and gives it back. Each side that holds the turn "reads": it moves the channel's
    position on by 10, a PLAIN read and write, as a reader moves the stream's buffer. The arbiter
    checks ReadTurn's promises:

      r1  1 if the reader took its turn back (retake() true), 0 if the waiter held it then;
      r2  1 if the waiter took the turn (lend() true), 0 if the reader had it back first;
      r3  1 if the position is not 1 plus 10 for each side that held the turn: two sides read at
          once, or one did not see what the other had read before the hand-over;
      r4  the state at the end: READER (0) if the reader took its turn back, else OFFERED (1),
          as the waiter left it.

    Both sides holding the turn at once, or a hand-over that loses the last holder's writes, is
    FORBIDDEN; so is a turn that nobody holds while the reader believes it took it back.
 */
@JCStressTest
@Outcome(id = "1, 0, 0, 0", expect = ACCEPTABLE, desc = "the reader took its turn back before the waiter asked")
@Outcome(id = "1, 1, 0, 0", expect = ACCEPTABLE, desc = "the waiter read and gave back; then the reader took it back")
@Outcome(id = "0, 1, 0, 1", expect = ACCEPTABLE, desc = "the waiter held the turn when the reader asked; offered again")
@Outcome(expect = FORBIDDEN, desc = "two readers at once, a lost write, or a turn in the wrong state")
@State
public class Turn_01_OneReader {
    final ReadTurn turn = new ReadTurn();
    /** The stream's position: moved only by the side that holds the turn. */
    int position;
    volatile boolean retook, lent;

    public Turn_01_OneReader() {
        position = 1;           // what the reader read before it offered
        turn.offer();
    }

    /** Reads as a holder of the turn: moves the position on from where the last holder left it. */
    private void read() {
        position += 10;
    }

    @Actor
    public void reader() {
        if (turn.retake()) {
            retook = true;
            read();
        }
    }

    @Actor
    public void waiter() {
        if (turn.lend()) {
            lent = true;
            read();
            turn.giveBack();
        }
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
        r.r1 = retook ? 1 : 0;
        r.r2 = lent ? 1 : 0;
        int expected = 1 + (retook ? 10 : 0) + (lent ? 10 : 0);
        r.r3 = position != expected ? 1 : 0;
        r.r4 = turn.state();
    }
}
