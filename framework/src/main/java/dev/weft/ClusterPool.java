package dev.weft;

import dev.weft.internal.wire.AllowList;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A {@link Pool} whose workers are the members of a cluster: the same code as on a
 * {@link ProcessPool}, for when one machine is not enough. The cluster is an existing distributed
 * engine, not Weft's own; the module {@code dev.weft:weft-hazelcast} supplies it, and
 * {@link Pool#cluster} finds it on the class path (the guide's section "When one machine is not
 * enough: the cluster pool").
 *
 * <pre>{@code
 * try (ClusterPool pool = Pool.cluster(c -> c.withMembers("10.0.0.1:5701", "10.0.0.2:5701"))) {
 *     List<Long> sums = pool.map(n -> sumTo(n), List.of(50_000_000L, 60_000_000L));
 * }                                   // close: waits for the tasks, then this member leaves
 * }</pre>
 *
 * <h2>Members</h2>
 * Opening a pool starts a member in this JVM that joins the cluster at the
 * {@linkplain Configuration#withMembers addresses given}, or forms a cluster of its own if none
 * answers; it runs tasks too. Joining uses those addresses only: no multicast, no discovery, and
 * no connection to any other host. A member can also be started on its own, to serve tasks
 * (the module's {@code dev.weft.hazelcast.ClusterMember}). Closing the pool makes its member leave,
 * unless the pool {@linkplain Configuration#withMemberName joined a member already running} in
 * this JVM, which it leaves running.
 *
 * <h2>Where tasks run</h2>
 * {@code submit}, {@code map} and the rest send each task to the member that holds the fewest of
 * this pool's tasks. A member runs at most {@link Configuration#workersPerMember()} of them at once
 * and holds a window of them, running or queued, so that it never waits for the next task to
 * travel. By default the pool sizes each member's window from how long its tasks wait there,
 * between 4 and 64 per worker: tiny tasks widen it until the member's queue holds about a
 * millisecond of work, and tasks of a millisecond or more keep it at 4 per worker
 * ({@link Configuration#withTasksInFlight} fixes it instead). With {@link Configuration#withWorkers}
 * at most that many are out in all. The rest wait here, as in the other pools, so cancelling a
 * waiting task is exact and {@link #shutdownNow()} returns them. {@link #submitTo} runs a task on a given member
 * and {@link #submitToKeyOwner} on the member that owns a key's data (data locality); those are
 * sent at once. {@link #workers()} is the members' count times the workers per member (or the cap),
 * so the default {@code map} chunksize (Python's rule) batches: a remote task costs a fraction of
 * a millisecond, which a chunk of tiny items shares.
 *
 * <p>{@link #terminate()} cancels the waiting tasks and interrupts the running ones on their
 * members; it ends every future at once, but a task that ignores the interrupt runs on in its
 * member's thread until it returns, as Hazelcast cannot stop a thread either. (For the same reason
 * a map chunk on a member stops at {@code terminate()} only through its function's interrupt.)
 *
 * <h2>When a member leaves</h2>
 * The tasks it was running fail with {@link MemberLostException}, which names the member, as soon
 * as the cluster declares it gone ({@link Configuration#withMemberTimeout}, 10 seconds by
 * default); no caller waits for ever. The pool goes on with the members left. With
 * {@link Configuration#withDurable durable} tasks, the cluster runs them again on another member
 * instead: at least once, so such tasks must be idempotent.
 *
 * <h2>What crosses to a member</h2>
 * As on every {@link RemotePool}: tasks, arguments and results by Java serialization, through an
 * allow-list of {@code java.**}, {@code dev.weft.**} and {@link Configuration#withAllowedClasses}.
 * All members must have the same classes on their class path. A task may open
 * {@link TaskScope}s and IO pools of its own on its member.
 *
 * <p>Everything else, life cycle, callbacks, failures, thread safety, memory consistency and
 * nulls, is as {@link Pool} describes it. Callbacks run in the pool's completer thread,
 * {@code weft-cluster-NAME-callback}, one at a time; tasks run in the members' engine threads,
 * named {@code weft-cluster-NAME-N} while they do.
 *
 * @since 0.1
 */
public interface ClusterPool extends RemotePool {

    /**
     * A member of the cluster: its id, its address, and whether it is this JVM's member. Pools
     * hand members out ({@link #members()}, {@link #localMember()}, {@link #currentMember()}); they
     * are equal when all three are, and serializable, so a task may return one.
     *
     * @since 0.1
     */
    final class Member implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
        private static final List<String> NAMES = List.of("id", "address", "local");

        /** The member's unique id. */
        private final String id;
        /** Its host and port. */
        private final String address;
        /** Whether it is the member of the JVM that made this value. */
        private final boolean local;

        private Member(String id, String address, boolean local) {
            this.id = Objects.requireNonNull(id, "id");
            this.address = Objects.requireNonNull(address, "address");
            this.local = local;
        }

        /**
         * A member, for a cluster engine ({@code weft-hazelcast}) and for tests; applications get
         * their members from the pool.
         *
         * @param id      the member's unique id, stable while it is a member
         * @param address its host and port, as {@code host:port}
         * @param local   whether it is this JVM's member
         * @return a member with these three values
         */
        public static Member of(String id, String address, boolean local) {
            return new Member(id, address, local);
        }

        /** {@return the member's unique id, stable while it is a member} */
        public String id() {
            return id;
        }

        /** {@return its host and port, as {@code host:port}} */
        public String address() {
            return address;
        }

        /** {@return whether it is this JVM's member (as seen from the JVM that made this value)} */
        public boolean local() {
            return local;
        }

        /**
         * Checks what was read as the constructor checks what it is given.
         *
         * @param in the stream to read the member from
         * @throws IOException if the stream cannot be read, or ({@link InvalidObjectException}) if
         *         the member read has no id or no address
         * @throws ClassNotFoundException if a class of the serialized member cannot be found
         */
        @Serial
        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            if (id == null || address == null) {
                throw new InvalidObjectException("a cluster member needs an id and an address");
            }
        }

        private List<Object> components() {
            return Arrays.asList(id, address, local);
        }

        /** Whether {@code o} is a member with the same id, address and locality. */
        @Override
        public boolean equals(Object o) {
            return o instanceof Member m && components().equals(m.components());
        }

        @Override
        public int hashCode() {
            return components().hashCode();
        }

        /** {@code Member[id=..., address=host:port, local=...]}, as a record shows it. */
        @Override
        public String toString() {
            return Components.text("Member", NAMES, components());
        }
    }

    /** {@return the members that run tasks now, oldest first: an unmodifiable snapshot} */
    List<Member> members();

    /** {@return this JVM's member} */
    Member localMember();

    /**
     * Runs {@code task} on {@code member}, at once, outside the per-member bound. Not available with
     * {@linkplain Configuration#withDurable durable} tasks, which the cluster places by key.
     *
     * @param <T> the type of the task's result
     * @param member the member to run the task on, one of {@link #members()}
     * @param task the task to run; it and what it captures are serialized to get there
     * @return the future of the task's result
     * @throws IllegalArgumentException      if {@code member} is not a member now, or the task cannot be serialized
     * @throws UnsupportedOperationException in durable mode
     * @throws java.util.concurrent.RejectedExecutionException if the pool is shut down;
     *         {@link BrokenPoolException} if broken
     */
    <T> TaskFuture<T> submitTo(Member member, SerializableCallable<T> task);

    /**
     * Runs {@code task} on the member that owns {@code key}'s data: Hazelcast's
     * {@code submitToKeyOwner}, for data locality. The key must be serializable.
     *
     * @param <T> the type of the task's result
     * @param key the key whose owner runs the task; serializable, not null
     * @param task the task to run; it and what it captures are serialized to get there
     * @return the future of the task's result
     * @throws IllegalArgumentException if the task or the key cannot be serialized
     * @throws java.util.concurrent.RejectedExecutionException if the pool is shut down;
     *         {@link BrokenPoolException} if broken
     */
    <T> TaskFuture<T> submitToKeyOwner(Object key, SerializableCallable<T> task);

    /**
     * Returns the engine object of this pool's member as {@code type}, for what Weft does not
     * cover: with {@code weft-hazelcast}, {@code unwrap(com.hazelcast.core.HazelcastInstance.class)}.
     *
     * @param <T> the type asked for
     * @param type the class of the engine object asked for
     * @return the engine's object of that type
     * @throws IllegalArgumentException if the engine has no object of that type
     */
    <T> T unwrap(Class<T> type);

    /**
     * The member running the calling task, from inside a task of a cluster pool; empty elsewhere.
     * ({@link Pool#currentWorker()} is the same for every kind of pool: its {@code pid} is the
     * member's process and its {@code threadName} the engine's thread.)
     *
     * @return the member running the calling task, or an empty {@code Optional} outside a cluster
     *         pool's task
     */
    static Optional<Member> currentMember() {
        return ClusterPoolImpl.currentMember();
    }

    /**
     * How a cluster pool is made: immutable; each {@code with} method returns a changed copy. Start
     * from the default that {@link Pool#cluster} hands over, or from {@link #defaults()}.
     *
     * @since 0.1
     */
    final class Configuration {
        static final Configuration DEFAULT = new Configuration(new Builder());
        private static final List<String> NAMES = List.of("name", "clusterName", "host", "port", "members",
                "workers", "workersPerMember", "tasksInFlight", "initializer", "durable", "allowedClasses",
                "memberTimeout", "memberName");

        private final String name;
        private final String clusterName;
        private final String host;
        private final int port;
        private final List<String> members;
        private final int workers;
        private final int workersPerMember;
        private final int tasksInFlight;
        private final SerializableRunnable initializer;
        private final boolean durable;
        private final List<String> allowedClasses;
        private final Duration memberTimeout;
        private final String memberName;

        /** Checks and copies the components. */
        private Configuration(Builder b) {
            clusterName = Objects.requireNonNull(b.clusterName, "clusterName");
            host = Objects.requireNonNull(b.host, "host");
            members = List.copyOf(b.members);
            allowedClasses = List.copyOf(b.allowedClasses);
            memberTimeout = Objects.requireNonNull(b.memberTimeout, "memberTimeout");
            if (b.port < 1 || b.port > 65_535) {
                throw new IllegalArgumentException("port must be 1..65535, but was " + b.port);
            }
            if (b.workers < 0) {
                throw new IllegalArgumentException("workers must be 0 (no cap) or more, but was " + b.workers);
            }
            if (b.tasksInFlight < 0) {
                throw new IllegalArgumentException("tasksInFlight must be 0 (the pool sizes the window) or more, but was "
                        + b.tasksInFlight);
            }
            if (b.workersPerMember < 0) {
                throw new IllegalArgumentException("workersPerMember must be 0 (this JVM's carrier count) or more, "
                        + "but was " + b.workersPerMember);
            }
            name = b.name;
            port = b.port;
            workers = b.workers;
            workersPerMember = b.workersPerMember;
            tasksInFlight = b.tasksInFlight;
            initializer = b.initializer;
            durable = b.durable;
            memberName = b.memberName;
        }

        /**
         * The components while one {@code with} method changes them: starts as the default or as a
         * copy of a configuration, and becomes one through the checking constructor.
         */
        private static final class Builder {
            String name;
            String clusterName = "weft";
            String host = "127.0.0.1";
            int port = 5701;
            List<String> members = List.of();
            int workers;
            int workersPerMember;
            int tasksInFlight;
            SerializableRunnable initializer;
            boolean durable;
            List<String> allowedClasses = List.of();
            Duration memberTimeout = Duration.ofSeconds(10);
            String memberName;

            Builder() {
            }

            Builder(Configuration c) {
                name = c.name;
                clusterName = c.clusterName;
                host = c.host;
                port = c.port;
                members = c.members;
                workers = c.workers;
                workersPerMember = c.workersPerMember;
                tasksInFlight = c.tasksInFlight;
                initializer = c.initializer;
                durable = c.durable;
                allowedClasses = c.allowedClasses;
                memberTimeout = c.memberTimeout;
                memberName = c.memberName;
            }
        }

        /** A copy of this configuration with {@code change} applied, checked. */
        private Configuration with(Consumer<Builder> change) {
            Builder b = new Builder(this);
            change.accept(b);
            return new Configuration(b);
        }

        /**
         * The default: cluster {@code weft}, this member on {@code 127.0.0.1:5701} (or the next free
         * port), no members to join, one worker per carrier thread on each member, tasks not durable,
         * a 10-second member timeout. {@link Pool#cluster} starts from it; so can a
         * serving member's configuration.
         *
         * @return the default configuration
         */
        public static Configuration defaults() {
            return DEFAULT;
        }

        /**
         * Names the pool; its tasks run in the cluster's executor of that name.
         *
         * @param name the pool's name, not blank
         * @return a copy of this configuration with that name
         * @throws IllegalArgumentException if {@code name} is blank
         */
        public Configuration withName(String name) {
            String checked = nonBlank(name, "a pool's name");
            return with(b -> b.name = checked);
        }

        /**
         * The cluster to join (default {@code weft}); members with another cluster name ignore this one.
         *
         * @param clusterName the cluster's name, not blank
         * @return a copy of this configuration with that cluster name
         * @throws IllegalArgumentException if {@code clusterName} is blank
         */
        public Configuration withClusterName(String clusterName) {
            String checked = nonBlank(clusterName, "a cluster name");
            return with(b -> b.clusterName = checked);
        }

        /**
         * The address this member binds to, which the others must reach: default {@code 127.0.0.1},
         * so that a cluster stays on this machine unless told otherwise. On real hosts, this host's
         * address on the network the members share.
         *
         * @param host a host name or IP address of this machine, not blank
         * @return a copy of this configuration with that host
         * @throws IllegalArgumentException if {@code host} is blank
         */
        public Configuration withHost(String host) {
            String checked = nonBlank(host, "a host");
            return with(b -> b.host = checked);
        }

        /**
         * The first port to listen on (default 5701); if taken, the next ones up to {@code port + 99}.
         *
         * @param port the first port to try, in 1..65535
         * @return a copy of this configuration with that port
         * @throws IllegalArgumentException if {@code port} is not in 1..65535
         */
        public Configuration withPort(int port) {
            return with(b -> b.port = port);
        }

        /**
         * The members to join, as {@code host:port} or {@code host} (port 5701). No other address is
         * ever contacted; with none, this member forms a cluster of its own, which others can join.
         *
         * @param addresses the members' addresses; they replace those of an earlier call
         * @return a copy of this configuration with these members
         * @throws IllegalArgumentException if an address is blank or its port is not a number in 1..65535
         */
        public Configuration withMembers(String... addresses) {
            List<String> checked = new ArrayList<>();
            for (String address : Objects.requireNonNull(addresses, "addresses")) {
                checked.add(checkAddress(address));
            }
            return with(b -> b.members = checked);
        }

        /**
         * At most {@code workers} of this pool's tasks run at once across the cluster (default: no cap
         * beyond {@link #withWorkersPerMember} on each member); {@link Pool#workers()} is then this.
         *
         * @param workers the most tasks of this pool that run at once, at least 1
         * @return a copy of this configuration with that cap
         * @throws IllegalArgumentException if {@code workers} is below 1
         */
        public Configuration withWorkers(int workers) {
            if (workers < 1) {
                throw new IllegalArgumentException("a pool needs at least 1 worker, but was given " + workers);
            }
            return with(b -> b.workers = workers);
        }

        /**
         * How many of this pool's tasks run at once on each member (default: this JVM's carrier count).
         *
         * @param workers the number of tasks each member runs at once, at least 1
         * @return a copy of this configuration with that number
         * @throws IllegalArgumentException if {@code workers} is below 1
         */
        public Configuration withWorkersPerMember(int workers) {
            if (workers < 1) {
                throw new IllegalArgumentException("a member needs at least 1 worker, but was given " + workers);
            }
            return with(b -> b.workersPerMember = workers);
        }

        /**
         * How many of this pool's tasks each member holds at once, running or waiting in its queue:
         * more keeps members busy while results travel, fewer keeps more tasks here, where
         * cancelling them is exact and a member that frees up first can take them. At most
         * {@link #withWorkersPerMember} run at once on a member either way. Without this call the
         * pool sizes each member's window itself, between 4 and 64 per worker, by how long its tasks
         * wait in the member's queue (see {@link ClusterPool}, "Where tasks run").
         *
         * @param tasks how many tasks each member may hold at once, at least 1
         * @return a copy of this configuration with that number
         * @throws IllegalArgumentException if {@code tasks} is less than 1
         */
        public Configuration withTasksInFlight(int tasks) {
            if (tasks < 1) {
                throw new IllegalArgumentException("a member must hold at least 1 task, but was given " + tasks);
            }
            return with(b -> b.tasksInFlight = tasks);
        }

        /**
         * Runs {@code initializer} once in each thread that runs this pool's tasks on any member, before
         * its first task there. If it throws, the pool is broken, as with the other pools.
         *
         * @param initializer what each thread runs before its first task; it and what it captures
         *         are serialized to get there
         * @return a copy of this configuration with that initializer
         */
        public Configuration withInitializer(SerializableRunnable initializer) {
            Objects.requireNonNull(initializer, "initializer");
            return with(b -> b.initializer = initializer);
        }

        /**
         * Durable tasks (default off): the cluster keeps a backup of each task, and if the member
         * running it leaves, runs it again on another. At least once: a task may run twice, so it
         * must be idempotent. The cluster places durable tasks itself, so they are not bounded per
         * member, {@link #submitTo} is not available, and a cancelled task ends cancelled here but
         * may still run on its member.
         *
         * @param durable whether tasks are durable
         * @return a copy of this configuration with that choice
         */
        public Configuration withDurable(boolean durable) {
            return with(b -> b.durable = durable);
        }

        /**
         * Allows more classes through the deserialization filter of this member, as
         * {@code "com.example.**"} (a package and its subpackages), {@code "com.example.*"} (one
         * package) or {@code "com.example.Point"} (one class). Every member needs the same list.
         *
         * @param patterns the patterns to allow, added to those of earlier calls
         * @return a copy of this configuration with these patterns added
         * @throws IllegalArgumentException if a pattern is blank, contains {@code ;}, {@code !} or {@code =}, or is one
         *                                  the JDK's pattern filter refuses, such as {@code "mod/"} or {@code ".*"}
         */
        public Configuration withAllowedClasses(String... patterns) {
            List<String> all = AllowList.withPatterns(allowedClasses, patterns);
            return with(b -> b.allowedClasses = all);
        }

        /**
         * How long a member may stay silent before the cluster declares it gone and fails its tasks
         * (default 10 seconds; Hazelcast's own default is 60). Shorter finds a dead member sooner, and
         * drops a member paused by a long garbage collection sooner too. The cluster counts whole
         * seconds: a fraction is rounded up.
         *
         * @param timeout how long a member may stay silent, at least 2 seconds
         * @return a copy of this configuration with that timeout
         * @throws IllegalArgumentException if shorter than 2 seconds
         */
        public Configuration withMemberTimeout(Duration timeout) {
            if (Objects.requireNonNull(timeout, "timeout").compareTo(Duration.ofSeconds(2)) < 0) {
                throw new IllegalArgumentException("a member timeout must be at least 2 seconds, but was " + timeout);
            }
            return with(b -> b.memberTimeout = timeout);
        }

        /**
         * Names this JVM's member. If a member of that name is running in this JVM already (another
         * pool's, or one the application started), the pool uses it and leaves it running at close;
         * its network settings are then that member's.
         *
         * @param memberName the member's name, not blank
         * @return a copy of this configuration with that member name
         * @throws IllegalArgumentException if {@code memberName} is blank
         */
        public Configuration withMemberName(String memberName) {
            String checked = nonBlank(memberName, "a member name");
            return with(b -> b.memberName = checked);
        }

        /** {@return the pool's name (its executor's on the cluster), or null for {@code cluster-N}} */
        public String name() {
            return name;
        }

        /** {@return the cluster to join: members with another name ignore this one} */
        public String clusterName() {
            return clusterName;
        }

        /** {@return the address this member binds to and others reach it at} */
        public String host() {
            return host;
        }

        /** {@return the first port to try; the next 99 are tried if it is taken} */
        public int port() {
            return port;
        }

        /**
         * {@return the members to join, as {@code host:port} (or {@code host}, port 5701): an
         * unmodifiable list}
         */
        public List<String> members() {
            return members;
        }

        /** {@return how many of the pool's tasks run at once across the cluster at most, or 0 for no cap} */
        public int workers() {
            return workers;
        }

        /**
         * {@return how many of this pool's tasks run at once on each member, or 0 for this JVM's
         * carrier count}
         */
        public int workersPerMember() {
            return workersPerMember;
        }

        /**
         * {@return how many of this pool's tasks each member holds at once, running or queued, or 0
         * if the pool sizes that window itself (the default)}
         */
        public int tasksInFlight() {
            return tasksInFlight;
        }

        /** {@return what runs once in each worker thread of each member before its first task, or null} */
        public SerializableRunnable initializer() {
            return initializer;
        }

        /** {@return whether a task on a member that leaves runs again on another (at least once)} */
        public boolean durable() {
            return durable;
        }

        /**
         * {@return the deserialization patterns allowed besides the defaults, as in
         * {@link ProcessPool.Configuration#withAllowedClasses}: an unmodifiable list}
         */
        public List<String> allowedClasses() {
            return allowedClasses;
        }

        /** {@return how long a silent member stays a member} */
        public Duration memberTimeout() {
            return memberTimeout;
        }

        /**
         * {@return the name of this JVM's member (if one by that name runs here already, the pool
         * joins it), or null for none}
         */
        public String memberName() {
            return memberName;
        }

        private List<Object> components() {
            return Arrays.asList(name, clusterName, host, port, members, workers, workersPerMember, tasksInFlight,
                    initializer, durable, allowedClasses, memberTimeout, memberName);
        }

        /** Whether {@code o} is a cluster pool configuration with equal components. */
        @Override
        public boolean equals(Object o) {
            return o instanceof Configuration c && components().equals(c.components());
        }

        @Override
        public int hashCode() {
            return components().hashCode();
        }

        /** The components, as a record shows them: {@code Configuration[name=..., clusterName=..., ...]}. */
        @Override
        public String toString() {
            return Components.text("Configuration", NAMES, components());
        }

        private static String nonBlank(String value, String what) {
            if (Objects.requireNonNull(value, what).isBlank()) {
                throw new IllegalArgumentException(what + " must not be blank");
            }
            return value;
        }

        /**
         * {@code address}, stripped, if it is {@code host}, {@code host:port}, {@code [v6]} or
         * {@code [v6]:port}, with a host of no blanks and a port in 1..65535.
         */
        private static String checkAddress(String address) {
            String a = nonBlank(address, "a member address").strip();
            String host = a;
            String port = null;
            if (a.startsWith("[")) {
                int close = a.indexOf(']');
                String rest = close < 0 ? null : a.substring(close + 1);
                if (rest == null || !(rest.isEmpty() || rest.startsWith(":"))) {
                    throw badAddress(a);
                }
                host = a.substring(1, close);
                port = rest.isEmpty() ? null : rest.substring(1);
            } else if (a.indexOf(':') != a.lastIndexOf(':')) {
                throw new IllegalArgumentException("a member address must be host or host:port, but was '" + a
                        + "': write an IPv6 address in brackets, as [::1] or [::1]:5701");
            } else if (a.indexOf(':') >= 0) {
                host = a.substring(0, a.indexOf(':'));
                port = a.substring(a.indexOf(':') + 1);
            }
            if (host.isEmpty() || host.chars().anyMatch(Character::isWhitespace)) {
                throw badAddress(a);
            }
            if (port != null) {
                int p;
                try {
                    p = Integer.parseInt(port);
                } catch (NumberFormatException e) {
                    p = -1;
                }
                if (p < 1 || p > 65_535) {
                    throw badAddress(a);
                }
            }
            return a;
        }

        private static IllegalArgumentException badAddress(String address) {
            return new IllegalArgumentException("a member address must be host or host:port with a port in 1..65535 "
                    + "(an IPv6 host in brackets, as [::1]:5701), but was '" + address + "'");
        }
    }
}
