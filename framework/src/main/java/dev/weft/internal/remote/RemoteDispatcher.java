package dev.weft.internal.remote;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * The dispatch that the two remote pools share, the process pool (worker JVMs) and the cluster
 * pool (cluster members): the queue of jobs not yet sent, the jobs each target holds, where the
 * next job goes, and whether the pool is broken. Each pool keeps only what is its own: how it
 * sends, how its targets start and end, its faults, and how it reads what comes back. It sees a
 * task only as a {@link Ticket}, and names no type of {@code dev.weft} (ADR 0008).
 *
 * <h2>Placement</h2>
 * A target is seen through its {@link Lane}: the jobs it holds, whether it takes more
 * ({@link Lane#open}) and how many it may hold ({@link Lane#window}). {@link #place} takes the
 * pending jobs in order and gives each to the open lane with the fewest jobs and room in its
 * window. Among equals, a dispatcher that {@code spreads} takes the first after the one it chose
 * last, so that equal targets share the work (cluster members); one that does not takes the first
 * in the pool's order, so that work stays on a target that is warm (a worker JVM that has just
 * answered still spins on its core for a while; alternating between two such workers would keep
 * both spinning, and on a machine with few cores they would take the cores the parent needs: a
 * sequential {@code submit().get()} took twice as long). When no lane has room, the pool may make one (the process pool starts a worker);
 * otherwise the jobs wait for an answer to free a place. A job whose task ended while it waited
 * (it was cancelled) is dropped. Placement only decides, under the pool's lock; the pool sends
 * outside it, because a send may block (a full socket buffer) or call back (a cluster engine)
 * while the thread that would unblock it needs the lock.
 *
 * <h2>A job's path</h2>
 * <em>pending</em> ({@link #enqueue}) → <em>out</em> ({@link #place}, or {@link #sendDirect} for a
 * job the pool places itself) → released ({@link #release}: answered, failed or never sent). A job
 * that was out may go back to pending ({@link #requeue}) when its target ended before it could
 * start it. {@link #out(Ticket)} finds the job of a task that is out, for a cancellation.
 *
 * <h2>Broken</h2>
 * {@link #breakWith} records the pool's error once and hands back the pending jobs for the pool
 * to fail; from then on the pool rejects every submission with that error ({@link #broken()}).
 *
 * <h2>Threads</h2>
 * Every method runs under the pool's lock, except {@link #broken()}, {@link #out(Ticket)} and
 * {@link #outJobs()}, which any thread may call.
 *
 * @param <J> the pool's job type
 */
public final class RemoteDispatcher<J extends RemoteDispatcher.Job> {

    /** What the dispatcher needs to know of a task: whether it has ended (was cancelled) while it waited. */
    public interface Ticket {
        boolean isDone();
    }

    /** A task on its way to a target: its ticket, its id on the wire and its serialized form. */
    public abstract static class Job {
        public final Ticket ticket;
        public final long id;
        public final byte[] payload;
        /**
         * The lane it was last placed on, or null if it never was; written under the pool's lock
         * before the job is published to {@link #out}, read by any thread that found it there.
         */
        public volatile Lane<?> lane;
        /** When it was placed; under the pool's lock. */
        public long placedNanos;

        protected Job(Ticket ticket, long id, byte[] payload) {
            this.ticket = ticket;
            this.id = id;
            this.payload = payload;
        }
    }

    /** A target's place in the dispatch; all of it under the pool's lock. */
    public abstract static class Lane<J extends Job> {
        /** The jobs placed on it and not yet released, by id. */
        public final Map<Long, J> held = new HashMap<>();

        /** Whether it takes jobs now. */
        protected abstract boolean open();

        /** How many jobs it may hold at once. */
        protected abstract int window();

        /** Told of each job placed on it, once {@link #held} holds it. */
        protected void placed(J job) {
        }
    }

    /** Jobs not yet sent, oldest first. */
    private final ArrayDeque<J> pending = new ArrayDeque<>();
    /** The jobs that are out (placed or sent directly) and not released, by task: read by cancelling threads. */
    private final Map<Ticket, J> out = new ConcurrentHashMap<>();
    /** Whether ties go round robin (see the class comment). */
    private final boolean spreads;
    /** Where the search for the least loaded lane starts: one past the last lane chosen, if it spreads; else 0. */
    private int rotation;
    /** Why the pool is broken, or null; set once under the lock, read by any thread. */
    private volatile RuntimeException broken;

    /** A dispatcher whose ties go round robin if {@code spreads}, else to the first lane. */
    public RemoteDispatcher(boolean spreads) {
        this.spreads = spreads;
    }

    /** Queues {@code job} behind the others. */
    public void enqueue(J job) {
        pending.add(job);
    }

    /** {@code job}, which the pool places itself and sends at once, is out. */
    public void sendDirect(J job) {
        out.put(job.ticket, job);
    }

    /** The pending jobs: what {@code dev.weft.AbstractPool.advance} drains. */
    public Collection<J> pending() {
        return pending;
    }

    public boolean hasPending() {
        return !pending.isEmpty();
    }

    /** Whether no job is pending or out. */
    public boolean isIdle() {
        return pending.isEmpty() && out.isEmpty();
    }

    /**
     * Takes pending jobs, at most {@code limit}, and places each on the least loaded open lane of
     * {@code lanes} with room; when none has room, calls {@code grow}, which returns true if it
     * added a lane to {@code lanes}. Returns the jobs placed, in order.
     */
    public List<J> place(List<? extends Lane<J>> lanes, BooleanSupplier grow, int limit) {
        List<J> placed = List.of();
        while (!pending.isEmpty() && placed.size() < limit) {
            J job = pending.peek();
            if (job.ticket.isDone()) {                // cancelled while pending
                pending.poll();
                continue;
            }
            Lane<J> lane = leastLoaded(lanes);
            if (lane == null) {
                if (grow.getAsBoolean()) {
                    continue;
                }
                break;                              // every lane is full: wait for an answer
            }
            pending.poll();
            job.lane = lane;
            job.placedNanos = System.nanoTime();
            lane.held.put(job.id, job);
            out.put(job.ticket, job);
            lane.placed(job);
            if (placed.isEmpty()) {
                placed = new ArrayList<>();
            }
            placed.add(job);
        }
        return placed;
    }

    private Lane<J> leastLoaded(List<? extends Lane<J>> lanes) {
        Lane<J> best = null;
        int n = lanes.size();
        int chosen = -1;
        for (int i = 0; i < n; i++) {
            int at = (rotation + i) % n;
            Lane<J> lane = lanes.get(at);
            int load = lane.held.size();
            if (lane.open() && load < lane.window() && (best == null || load < best.held.size())) {
                best = lane;
                chosen = at;
            }
        }
        if (best != null && spreads) {
            rotation = chosen + 1;
        }
        return best;
    }

    /** {@code job} has ended or will never be sent: it leaves its lane. False if it was not out. */
    public boolean release(J job) {
        Lane<?> lane = job.lane;
        if (lane != null) {
            lane.held.remove(job.id);
        }
        return out.remove(job.ticket) != null;
    }

    /** Releases the jobs {@code lane} holds and returns them, oldest first: its target has ended. */
    public List<J> releaseAll(Lane<J> lane) {
        List<J> held = new ArrayList<>(lane.held.values());
        held.sort((a, b) -> Long.compare(a.id, b.id));
        held.forEach(this::release);
        return held;
    }

    /** Puts {@code jobs}, which their target never started, back at the head of the queue, in order. */
    public void requeue(List<J> jobs) {
        for (int i = jobs.size() - 1; i >= 0; i--) {
            pending.addFirst(jobs.get(i));
        }
    }

    /** The job of {@code ticket} if it is out, else null. Any thread. */
    public J out(Ticket ticket) {
        return out.get(ticket);
    }

    /** The jobs out now, a snapshot. Any thread. */
    public List<J> outJobs() {
        return new ArrayList<>(out.values());
    }

    /** Removes the pending job of {@code ticket}; false if none is pending. */
    public boolean removePending(Ticket ticket) {
        return pending.removeIf(job -> job.ticket == ticket);
    }

    /**
     * Records {@code error} as the pool's, unless it is broken already, and returns the pending
     * jobs, which the pool fails; false-y (empty) if it was broken before.
     */
    public List<J> breakWith(RuntimeException error) {
        if (broken != null) {
            return List.of();
        }
        broken = error;
        List<J> drained = new ArrayList<>(pending);
        pending.clear();
        return drained;
    }

    /** Why the pool is broken, or null. Any thread. */
    public RuntimeException broken() {
        return broken;
    }
}
