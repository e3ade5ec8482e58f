package dev.weft;

import dev.weft.internal.jmx.MBeans;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import javax.management.ObjectName;

/**
 * A pool's {@link PoolMXBean}: its task counts, and its registration as
 * {@code dev.weft:type=Pool,name=NAME} ({@link MBeans} makes the name unique).
 *
 * <h2>Counting</h2>
 * Six monotonic {@link LongAdder}s, so that counting a task costs a few uncontended adds: accepted,
 * started, ended without starting, and ended by outcome. Queued and running are differences of them,
 * read without a lock, so a reading taken while tasks move may be off by the tasks moving (never
 * below zero); once the pool is still, it is exact. {@link PoolTask} counts: {@link #queued} under
 * the pool's lock as it accepts a task, {@link #started} and {@link #ended} from the future's own
 * hooks: {@link TaskFuture#onStarted} once, after its start; {@link TaskFuture#onEnding} just
 * before the CAS that ends it, undone if that CAS loses, so that whoever sees a future done finds
 * its end counted (a lost race shows for an instant as one end too many).
 *
 * <h2>Life</h2>
 * The pool registers the bean as its factory returns ({@link #register}), and unregisters it as it
 * terminates ({@link #unregister}), before {@code terminated} completes; both under {@code lock}, so
 * that a pool that terminates while its factory registers never leaves its bean behind. The bean
 * holds its pool weakly: the platform MBean server keeps every registered bean, and must not keep an
 * unclosed, unreachable pool alive with it. The reference of a pool collected without terminating
 * comes back on {@link #COLLECTED}, and the next registration unregisters its bean.
 *
 * <h2>When</h2>
 * By default a pool registers its bean only if this JVM has an MBean server already (the platform
 * one, made by a JMX agent, a framework, or any caller of
 * {@code ManagementFactory.getPlatformMBeanServer()}): making it costs a cold JVM a tenth of a
 * second or more, which a program that never uses JMX should not pay at its first pool.
 * {@code -Ddev.weft.jmx=true} registers every pool, making the server if need be;
 * {@code -Ddev.weft.jmx=false} registers none. The counts are kept either way.
 */
final class PoolBean implements PoolMXBean {
    /** The system property that chooses registration: true, false, or unset (where a server exists). */
    static final String PROPERTY = "dev.weft.jmx";
    /** {@code -Ddev.weft.jmx} as this JVM started: read once, checked by every pool's factory ({@link #checkSetting}). */
    private static final String SETTING = System.getProperty(PROPERTY);
    /** The references of pools collected while registered; drained by each registration. */
    private static final ReferenceQueue<AbstractPool> COLLECTED = new ReferenceQueue<>();

    /** The pool, weakly, with the name its bean got: see the class comment. */
    private static final class PoolRef extends WeakReference<AbstractPool> {
        /** The bean's name while registered, else null; written under the bean's lock, read by any registering thread. */
        volatile ObjectName registered;

        PoolRef(AbstractPool pool) {
            super(pool, COLLECTED);
        }
    }

    private final String name;
    private final String kind;
    private final PoolRef pool;
    private final LongAdder accepted = new LongAdder();
    private final LongAdder started = new LongAdder();
    private final LongAdder endedUnstarted = new LongAdder();
    private final LongAdder completed = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder cancelled = new LongAdder();
    /** Guards {@link #over} and the registration. */
    private final ReentrantLock lock = new ReentrantLock();
    /** Whether the pool has terminated: no registration after it. Under lock. */
    private boolean over;

    PoolBean(AbstractPool pool, String kind) {
        this.name = pool.name;
        this.kind = kind;
        this.pool = new PoolRef(pool);
    }

    /**
     * Called by every pool's factory before it makes anything: {@code -Ddev.weft.jmx} must be unset,
     * {@code true} or {@code false}.
     *
     * @throws IllegalArgumentException if it is anything else
     */
    static void checkSetting() {
        checkSetting(SETTING);
    }

    /** {@link #checkSetting()} for the value {@code setting}, which may be null (unset). */
    static void checkSetting(String setting) {
        if (setting != null && !setting.equalsIgnoreCase("true") && !setting.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException("-D" + PROPERTY + "=" + setting + " is neither true nor false: use -D"
                    + PROPERTY + "=true to register every pool in JMX, -D" + PROPERTY + "=false to register none, "
                    + "or leave it unset to register them where the JVM has an MBean server already");
        }
    }

    // ---- counting -------------------------------------------------------------------------------

    void queued() {
        accepted.increment();
    }

    void started() {
        started.increment();
    }

    /**
     * A task ends in {@code state} ({@code delta} 1), or, its future's CAS lost, does not after all
     * ({@code delta} -1); {@code wasRunning} says whether it had started.
     */
    void ended(Future.State state, boolean wasRunning, int delta) {
        if (!wasRunning) {
            endedUnstarted.add(delta);
        }
        switch (state) {
            case SUCCESS -> completed.add(delta);
            case FAILED -> failed.add(delta);
            default -> cancelled.add(delta);
        }
    }

    // ---- registration ---------------------------------------------------------------------------

    /** The pool's factory, once the pool works: registers the bean, unless the pool has terminated meanwhile. */
    void register() {
        if (SETTING == null ? !MBeans.serverExists() : !SETTING.equalsIgnoreCase("true")) {
            return;
        }
        for (PoolRef gone; (gone = (PoolRef) COLLECTED.poll()) != null; ) {
            ObjectName stale = gone.registered;
            if (stale != null) {
                MBeans.unregister(stale, Logs::pool);
            }
        }
        lock.lock();
        try {
            if (!over && pool.registered == null) {
                pool.registered = MBeans.register(this, "Pool", name, Logs::pool);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The thread that terminates the pool, before it completes termination: unregisters the bean for good. */
    void unregister() {
        lock.lock();
        try {
            over = true;
            ObjectName registered = pool.registered;
            pool.registered = null;
            pool.clear();
            if (registered != null) {
                MBeans.unregister(registered, Logs::pool);
            }
        } finally {
            lock.unlock();
        }
    }

    // ---- the MXBean ---------------------------------------------------------------------------------

    @Override
    public String getName() {
        return name;
    }

    @Override
    public String getKind() {
        return kind;
    }

    @Override
    public int getWorkers() {
        AbstractPool p = pool.get();
        return p == null ? 0 : p.liveWorkers();
    }

    @Override
    public long getQueuedTasks() {
        long ended = endedUnstarted.sum();
        long out = started.sum();
        return Math.max(0, accepted.sum() - out - ended);
    }

    @Override
    public long getRunningTasks() {
        long ended = completed.sum() + failed.sum() + cancelled.sum() - endedUnstarted.sum();
        return Math.max(0, started.sum() - ended);
    }

    @Override
    public long getCompletedTasks() {
        return completed.sum();
    }

    @Override
    public long getFailedTasks() {
        return failed.sum();
    }

    @Override
    public long getCancelledTasks() {
        return cancelled.sum();
    }

    @Override
    public boolean isBroken() {
        AbstractPool p = pool.get();
        return p != null && p.isBroken();
    }

    @Override
    public boolean isShutdown() {
        AbstractPool p = pool.get();
        return p == null || p.isShutdown();
    }

    @Override
    public String toString() {
        return "PoolMXBean[" + name + "]";
    }
}
