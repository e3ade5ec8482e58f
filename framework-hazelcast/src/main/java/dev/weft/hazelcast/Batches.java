package dev.weft.hazelcast;

import com.hazelcast.executor.impl.DistributedExecutorService;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import com.hazelcast.spi.impl.operationservice.Operation;
import java.io.IOException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The batches that this JVM's members run now, by id, so that one task of a batch can be cancelled
 * alone: before it starts, it is skipped; while it runs, its thread may be interrupted.
 *
 * <p>A batch ({@link RemoteCall}, {@link RemoteCall#BATCH_CLASS_ID}) runs in one executor thread and
 * registers itself here for as long as it runs. A {@link Cancel} operation, which a member runs in
 * one of Hazelcast's operation threads, asks this registry to cancel task {@code index} of batch
 * {@code id} and answers what it found: {@link #NOT_FOUND} (the batch has not arrived, or has
 * ended; the sender tries again until the batch's answer comes), {@link #CANCELLED} (it will not
 * run, or its thread was interrupted) or {@link #TOO_LATE} (it ran, or runs and may not be
 * interrupted).
 *
 * <p>Thread safety: each {@link Batch} is guarded by its own monitor, which its executor thread
 * holds to start and end a task and a cancelling thread holds to mark or interrupt one; so an
 * interrupt meant for one task never reaches the next: {@link Batch#end} clears it under the same
 * monitor.
 */
final class Batches {
    /** The most tasks a batch carries. */
    static final int MOST = 64;
    static final int NOT_FOUND = 0, CANCELLED = 1, TOO_LATE = 2;

    private static final Map<UUID, Batch> RUNNING = new ConcurrentHashMap<>();
    /** How many batches this JVM's members have started. */
    private static final AtomicLong STARTED = new AtomicLong();

    private Batches() {
    }

    /** The calling executor thread starts batch {@code id} of {@code n} tasks. */
    static Batch start(UUID id, int n) {
        Batch batch = new Batch(Thread.currentThread(), n);
        RUNNING.put(id, batch);
        STARTED.incrementAndGet();
        return batch;
    }

    /** How many batches this JVM's members have started so far. */
    static long started() {
        return STARTED.get();
    }

    /** Batch {@code id} has ended: its answer is on its way. */
    static void finish(UUID id) {
        RUNNING.remove(id);
    }

    /** Cancels task {@code index} of batch {@code id}: {@link #NOT_FOUND}, {@link #CANCELLED} or {@link #TOO_LATE}. */
    static int cancel(UUID id, int index, boolean mayInterrupt) {
        Batch batch = RUNNING.get(id);
        return batch == null ? NOT_FOUND : batch.cancel(index, mayInterrupt);
    }

    /** A batch that runs: its thread, which task runs, and which were cancelled. */
    static final class Batch {
        private final Thread thread;
        private final boolean[] cancelled;
        /** The task that runs, or -1 between tasks. */
        private int running = -1;
        /** How many tasks have ended (run, or skipped). */
        private int ended;

        private Batch(Thread thread, int n) {
            this.thread = thread;
            this.cancelled = new boolean[n];
        }

        /** Its thread: whether task {@code index} is to run (false: it was cancelled). */
        synchronized boolean begin(int index) {
            if (cancelled[index]) {
                ended = index + 1;
                return false;
            }
            running = index;
            return true;
        }

        /** Its thread: task {@code index} has ended; an interrupt that was meant for it is cleared. */
        synchronized void end(int index) {
            running = -1;
            ended = index + 1;
            Thread.interrupted();
        }

        synchronized int cancel(int index, boolean mayInterrupt) {
            if (index < 0 || index >= cancelled.length || index < ended) {
                return TOO_LATE;
            }
            if (index == running) {
                if (!mayInterrupt) {
                    return TOO_LATE;
                }
                thread.interrupt();
                return CANCELLED;
            }
            cancelled[index] = true;
            return CANCELLED;
        }
    }

    /** Asks a member to cancel one task of a batch it runs (see the class comment); answers an {@code Integer}. */
    static final class Cancel extends Operation implements IdentifiedDataSerializable {
        static final int CLASS_ID = 3;

        private UUID batch;
        private int index;
        private boolean mayInterrupt;
        private transient int found;

        /** For Hazelcast's {@link MemberConfig#FACTORY}. */
        Cancel() {
        }

        Cancel(UUID batch, int index, boolean mayInterrupt) {
            this.batch = batch;
            this.index = index;
            this.mayInterrupt = mayInterrupt;
        }

        @Override
        public void run() {
            found = Batches.cancel(batch, index, mayInterrupt);
        }

        @Override
        public Object getResponse() {
            return found;
        }

        @Override
        public String getServiceName() {
            return DistributedExecutorService.SERVICE_NAME;
        }

        @Override
        public int getFactoryId() {
            return MemberConfig.FACTORY_ID;
        }

        @Override
        public int getClassId() {
            return CLASS_ID;
        }

        @Override
        protected void writeInternal(ObjectDataOutput out) throws IOException {
            out.writeLong(batch.getMostSignificantBits());
            out.writeLong(batch.getLeastSignificantBits());
            out.writeInt(index);
            out.writeBoolean(mayInterrupt);
        }

        @Override
        protected void readInternal(ObjectDataInput in) throws IOException {
            batch = new UUID(in.readLong(), in.readLong());
            index = in.readInt();
            mayInterrupt = in.readBoolean();
        }
    }
}
