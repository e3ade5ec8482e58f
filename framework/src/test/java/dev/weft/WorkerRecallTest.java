package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.internal.process.WorkerCommand;
import dev.weft.internal.process.WorkerProcess;
import dev.weft.internal.wire.Channel;
import dev.weft.internal.wire.ClassSource;
import dev.weft.internal.wire.SharedFunctions;
import dev.weft.testing.Await;
import dev.weft.testing.Gate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A recall's CANCEL never overtakes the task it takes back. The pool places a task under its lock
 * and writes it outside, so another thread may decide to take it back, and write the CANCEL, before
 * the placing thread has written the task. The worker would ignore a CANCEL for a task it does not
 * know, then queue the task behind the one it runs. Here one worker, driven through its channel
 * alone, runs a stalled task while another is recalled before it is written.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class WorkerRecallTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String POOL = "recall-test";

    @Test
    void aRecallBeforeTheTaskIsWrittenDropsItOnceWritten() throws Exception {
        ProcessPool.Configuration config = ProcessPool.Configuration.DEFAULT;
        WorkerCommand command = ProcessPoolImpl.workerCommand(config);
        ClassSource classes = new ClassSource();
        SharedFunctions functions = new SharedFunctions(classes::written);
        byte[] setup = new ProcessWorkerMain.Setup(null, config.idleSpin().toNanos()).encode(classes::written);
        BlockingQueue<Channel.Frame> answers = new LinkedBlockingQueue<>();
        BlockingQueue<Integer> exits = new LinkedBlockingQueue<>();
        WorkerProcess worker = WorkerProcess.start(new WorkerProcess.Listener() {
            @Override
            public void readerStarted() {
            }

            @Override
            public void onFrame(WorkerProcess from, Channel.Frame frame) {
                answers.add(frame);
            }

            @Override
            public void onExit(WorkerProcess from, int exitCode, List<String> stderrTail, Throwable channelError) {
                exits.add(exitCode);
            }
        }, "weft-process-recall-test-", WorkerProcess.spawn(POOL, "weft-process-recall-test-", 1, command,
                config.filterPattern(), config.environment()), command, setup, 0);
        try (Gate stall = Gate.closed()) {
            assertThat(next(answers).type()).as("the worker's first frame").isEqualTo(Channel.READY);
            SerializableCallable<Object> first = () -> {
                stall.pass();
                return "stalled";
            };
            SerializableCallable<Object> second = () -> "behind";
            ProcessJob stalled = ProcessJob.encode(new PoolTask<>(null, first, false), 1, functions, classes, POOL);
            ProcessJob behind = ProcessJob.encode(new PoolTask<>(null, second, false), 2, functions, classes, POOL);
            assertThat(worker.send(stalled)).isTrue();
            worker.flush();
            Await.until("the first task runs", () -> stall.arrivals() == 1, WAIT);

            worker.recall(behind);                      // before the thread that placed it writes it
            assertThat(worker.send(behind)).isTrue();
            worker.flush();

            Channel.Frame answer = next(answers);
            assertThat(answer.type()).as("the answer for the task taken back, while the first still runs")
                    .isEqualTo(Channel.CANCELLED);
            assertThat(answer.id()).isEqualTo(2);
            stall.open();
            answer = next(answers);
            assertThat(answer.type()).isEqualTo(Channel.RESULT);
            assertThat(answer.id()).isEqualTo(1);
        } finally {
            worker.stop();
            if (exits.poll(WAIT.toSeconds(), TimeUnit.SECONDS) == null) {
                worker.kill();
                exits.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
            command.end();
        }
    }

    private static Channel.Frame next(BlockingQueue<Channel.Frame> answers) throws InterruptedException {
        Channel.Frame frame = answers.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(frame).as("an answer within %s", WAIT).isNotNull();
        return frame;
    }
}
