package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.internal.process.Rendezvous;
import dev.weft.internal.process.WorkerExit;
import dev.weft.internal.wire.Channel;
import dev.weft.internal.wire.WireFormat;
import dev.weft.internal.wire.WireVersionException;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker JVM whose parent speaks another wire format: it refuses the setup before it runs
 * anything, says why in a SETUP_FAILED frame that names both versions, and exits with the setup
 * failure's code. This test plays the parent, with a real rendezvous and channel.
 */
class WorkerWireVersionTest {
    @TempDir
    Path temp;

    @Test
    void aSetupOfAnotherWireFormatIsRefusedNamingBothVersions() throws Exception {
        Rendezvous rendezvous = Rendezvous.open(temp);
        Process worker = null;
        try {
            Channel parent = new Channel();
            SerializableRunnable initializer = () -> System.setProperty("weft.test.initializer.ran", "yes");
            parent.write(Channel.SETUP, 0, new ProcessWorkerMain.Setup(initializer, 0)
                    .encode(WireFormat.VERSION + 1, "9.9.9", c -> { }));
            String filter = ProcessPool.Configuration.DEFAULT.filterPattern();
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), ProcessWorkerMain.class.getName(), "wire",
                    "weft-process-wire-", "1", Long.toString(ProcessHandle.current().pid()), filter,
                    rendezvous.socket().toString())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(temp.resolve("stderr.txt").toFile());
            builder.environment().put(Rendezvous.TOKEN_VARIABLE, rendezvous.token());
            worker = builder.start();
            Process started = worker;
            SocketChannel socket = rendezvous.accept(started::isAlive);
            assertThat(socket).as("the worker connected").isNotNull();
            parent.attach(socket);

            Channel.Frame frame = parent.read();
            assertThat(frame).isNotNull();
            assertThat(frame.type()).isEqualTo(Channel.SETUP_FAILED);
            Object why = Channel.deserialize(frame.payload(), ProcessPool.Configuration.filter(filter));
            assertThat(why).isInstanceOf(WireVersionException.class);
            assertThat(((Throwable) why).getMessage())
                    .contains("Weft 9.9.9 (wire format " + (WireFormat.VERSION + 1) + ")")
                    .contains("Weft " + WireFormat.release() + " (wire format " + WireFormat.VERSION + ")");
            assertThat(worker.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(worker.exitValue()).isEqualTo(WorkerExit.EXIT_SETUP_FAILED);
        } finally {
            rendezvous.close();
            if (worker != null) {
                worker.destroyForcibly();
            }
        }
    }
}
