package dev.weft;

/**
 * What a {@link Pool} is doing, as JMX shows it: one MXBean per pool, in the platform MBean server,
 * for JConsole, JDK Mission Control or any JMX client. Weft implements this interface; applications
 * read it, and do not implement it (attributes may be added in a minor release).
 *
 * <pre>{@code
 * MBeanServer server = ManagementFactory.getPlatformMBeanServer();
 * PoolMXBean fetch = JMX.newMXBeanProxy(server, new ObjectName("dev.weft:type=Pool,name=fetch"), PoolMXBean.class);
 * System.out.println(fetch.getRunningTasks() + " running, " + fetch.getQueuedTasks() + " queued");
 * }</pre>
 *
 * <h2>Its name and life</h2>
 * A pool registers its bean when it is created, if the JVM has an MBean server then (or always, with
 * {@code -Ddev.weft.jmx=true}; never, with {@code false}), under {@code dev.weft:type=Pool,name=NAME},
 * where NAME is the pool's {@linkplain Pool#name() name} ({@code fetch}, or {@code cpu-1} for an
 * unnamed CPU pool), and unregisters it when the pool terminates, before {@code close()},
 * {@code join()} or {@code awaitTermination} return. Two rules make the name valid and unique:
 * <ul>
 * <li>a name with a character that an {@link javax.management.ObjectName} value cannot hold bare
 *     ({@code , = : " * ?} or a line break) is quoted, as {@link javax.management.ObjectName#quote}
 *     does: {@code name="a,b"};</li>
 * <li>a name already registered by a live pool (two pools named {@code fetch}) gets {@code #2},
 *     {@code #3}, ... appended, the first number free: {@code name=fetch#2}.</li>
 * </ul>
 * {@code dev.weft:type=Pool,*} lists them all. A pool that cannot register its bean (a security
 * manager, a JMX setup that refuses) works as if it had none, and says why in a debug message of the
 * logger {@code dev.weft.Pool}. A pool that is never closed keeps its bean while it is reachable; once
 * it is garbage, its bean goes at the next pool's registration.
 *
 * <h2>What it counts</h2>
 * A task is what the pool queues: each {@code submit}, {@code execute} and {@code apply}, and each
 * chunk of a {@code map} (so a map of 1,000 items with a chunksize of 100 counts 10 tasks). A task
 * is <em>queued</em> from the time the pool accepts it until it starts or ends, <em>running</em>
 * from its start until its future completes or is cancelled, then counted once as completed,
 * failed or cancelled. For a process or cluster pool a task starts when it is sent to a worker or
 * member (it may wait there behind another), and its end is its future's: a task cancelled while
 * it runs remotely counts as cancelled at once, though its worker may still be finishing it.
 *
 * <h2>Thread safety and consistency</h2>
 * Any thread may read it at any time. Each attribute is read on its own, without stopping the pool,
 * so two attributes read while tasks move may not add up; once the pool is still, they are exact.
 * A task's end is counted before anyone can see its future done: after {@code get()} returns, or
 * {@code isDone()} returns true, the counts include that task.
 *
 * @since 0.1
 */
public interface PoolMXBean {
    /** {@return the pool's name, as {@link Pool#name()} returns it} */
    String getName();

    /** {@return the pool's kind: {@code io}, {@code cpu}, {@code processes} or {@code cluster}} */
    String getKind();

    /**
     * {@return the pool's workers now: a CPU pool's live threads; an IO pool's live task threads; a
     * process pool's worker JVMs, started and not yet gone; a cluster pool's
     * {@linkplain Pool#workers() workers} (its members times the workers per member, or its cap)}
     */
    int getWorkers();

    /** {@return how many tasks wait for a worker: accepted, and neither started nor ended} */
    long getQueuedTasks();

    /** {@return how many tasks run: started, and not yet ended} */
    long getRunningTasks();

    /** {@return how many tasks completed with a result since the pool was created} */
    long getCompletedTasks();

    /** {@return how many tasks completed with an exception since the pool was created, a broken pool's included} */
    long getFailedTasks();

    /** {@return how many tasks were cancelled since the pool was created, before or while they ran} */
    long getCancelledTasks();

    /** {@return whether the pool is broken: it refuses tasks because an initializer or a worker failed} */
    boolean isBroken();

    /** {@return whether the pool is shut down: it takes no new tasks} */
    boolean isShutdown();
}
