package com.example.weft;

import dev.weft.ClusterPool;
import dev.weft.Pool;
import dev.weft.TaskScope;
import dev.weft.TaskScope.Joiner;
import dev.weft.UncheckedInterruptedException;
import dev.weft.hazelcast.ClusterMember;
import java.io.PrintStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * Example 9: thread pools inside the workers of a cluster. The seed's "thread pools inside process
 * workers" (example 4, {@link ProcessThreads}) on a 3-member Hazelcast cluster: each cluster task runs
 * its IO subtasks in a {@link TaskScope} on its member, adds up their values, and the caller adds up
 * the tasks' totals, collated by member.
 *
 * <p>By default the three members run in this JVM, on loopback: this program's pool member and two
 * serving members ({@link ClusterMember}). To use members started elsewhere (in other terminals
 * with {@code ./weft member}, or on other hosts: see docs/guide.md), pass their addresses:
 * {@code --members 127.0.0.1:5701,127.0.0.1:5702}.
 *
 * <p>A cluster's bytes cross a network, so its members accept only the classes they are told to:
 * this program's tasks and results are classes of {@code com.example.weft}, allowed with
 * {@code withAllowedClasses("com.example.weft.**")} here and {@code --allow 'com.example.weft.**'}
 * on a member started apart ({@code ./weft member} passes it).
 *
 * Run it with {@code ./weft example ClusterThreads}.
 */
public final class ClusterThreads {
    /** What one cluster task did: its subtasks, the member and thread that ran it, and their total. */
    record MemberResult(int task, String member, String thread, List<ProcessThreads.ThreadResult> threads, int total)
            implements Serializable {
    }

    private ClusterThreads() {
    }

    public static void main(String[] args) throws Exception {
        List<String> members = args.length == 2 && args[0].equals("--members") ? List.of(args[1].split(",")) : List.of();
        run(System.out, 6, 5, 100, members, 5701);
    }

    /**
     * Runs {@code tasks} cluster tasks with {@code threads} IO subtasks of {@code millis} each, on the
     * cluster at {@code join}, or on a 3-member cluster of this JVM from {@code port} if none is given;
     * returns the caller's total.
     */
    static int run(PrintStream out, int tasks, int threads, long millis, List<String> join, int port) throws Exception {
        ClusterPool.Configuration config = ClusterPool.Configuration.defaults().withPort(port)
                .withAllowedClasses("com.example.weft.**");
        List<ClusterMember> local = new ArrayList<>();
        if (join.isEmpty()) {
            // A cluster of this JVM's own: its name keeps out any other cluster on this machine.
            config = config.withClusterName("weft-example-" + ProcessHandle.current().pid());
            local.add(ClusterMember.start(config));
            String first = local.get(0).member().address();     // port, or the next free one
            local.add(ClusterMember.start(config.withMembers(first)));
            config = config.withMembers(first);
        } else {
            config = config.withMembers(join.toArray(String[]::new));
        }
        ClusterPool.Configuration poolConfig = config.withName("outer").withWorkersPerMember(2);
        List<MemberResult> results;
        try (ClusterPool pool = Pool.cluster(c -> poolConfig)) {
            out.println(tasks + " cluster tasks on " + pool.members().size() + " members, each with " + threads
                    + " IO subtasks in a scope    (Python: ProcessPoolExecutor tasks that use a ThreadPoolExecutor)");
            results = pool.map(i -> clusterTask(i, threads, millis), IntStream.rangeClosed(1, tasks).boxed().toList(), 1);
        } finally {
            local.forEach(ClusterMember::close);
        }
        Map<String, List<MemberResult>> byMember = new TreeMap<>();
        results.forEach(r -> byMember.computeIfAbsent(r.member(), m -> new ArrayList<>()).add(r));
        int total = 0;
        for (var member : byMember.entrySet()) {
            out.println("   member " + member.getKey() + ":");
            for (MemberResult task : member.getValue()) {
                for (ProcessThreads.ThreadResult thread : task.threads()) {
                    out.printf("      Task %d, thread worker %d: value %d  (%s)%n", task.task(), thread.worker(),
                            thread.value(), thread.thread());
                }
                out.printf("      Task %d total: %d  (task thread %s)%n", task.task(), task.total(), task.thread());
                total += task.total();
            }
        }
        out.println("   caller total: " + total + ", from " + results.size() + " tasks of " + threads + " threads each, on "
                + byMember.size() + " members");
        return total;
    }

    /** A cluster task: runs its subtasks in a scope on its member, and adds up their values. */
    static MemberResult clusterTask(int task, int threads, long millis) {
        try (var scope = TaskScope.open(Joiner.<ProcessThreads.ThreadResult>allSuccessful(),
                c -> c.withName("task-" + task))) {
            for (int j = 1; j <= threads; j++) {
                int worker = j;
                scope.fork(() -> {
                    Thread.sleep(millis);                        // simulated IO
                    return new ProcessThreads.ThreadResult(task, worker, Thread.currentThread().getName(),
                            ProcessHandle.current().pid(), ProcessThreads.value(task, worker));
                });
            }
            List<ProcessThreads.ThreadResult> done = scope.join();
            return new MemberResult(task, ClusterPool.currentMember().orElseThrow().address(),
                    Thread.currentThread().getName(), done, done.stream().mapToInt(ProcessThreads.ThreadResult::value).sum());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedInterruptedException("cluster task " + task + " was interrupted", e);
        }
    }
}
