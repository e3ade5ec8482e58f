package dev.weft.benchmarks;

import dev.weft.Pool;
import dev.weft.ProcessPool;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What a process pool's worker spends, thread by thread, on a stream of sequential
 * {@code submit(() -> 1).get()} calls: one worker, a warm-up of 20,000 calls, then as many calls as
 * fit in {@code --seconds}; for each of the worker's own threads ({@code weft-…}), the CPU time it
 * used and the times it blocked (voluntary context switches) meanwhile, read from Linux's
 * {@code /proc/PID/task}. Its CPU time is in clock ticks of 10 ms (Linux's {@code USER_HZ} of 100).
 * Linux keeps 15 characters of a thread's name, so the channel thread and the flusher both show as
 * {@code weft-process-1-}: the channel thread is the one that blocks.
 *
 * <pre>
 * ./weft mvn -q package -DskipTests -pl benchmarks -am
 * java -cp benchmarks/target/benchmarks.jar dev.weft.benchmarks.WorkerThreads
 * </pre>
 *
 * Linux only. Results, with the machine they were measured on: {@code docs/benchmarks.md}.
 */
@Command(name = "WorkerThreads", sortOptions = false,
        description = "CPU and blocking of each thread of a process pool's worker under sequential round trips (Linux).")
public final class WorkerThreads implements Callable<Integer> {
    private static final long MS_PER_TICK = 10;

    @Mixin
    private HelpOption help;
    @Option(names = "--seconds", paramLabel = "S", description = "How long to measure (default: ${DEFAULT-VALUE}).")
    private int seconds = 5;

    public static void main(String[] args) {
        System.exit(new CommandLine(new WorkerThreads()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(Path.of("/proc/self/task"))) {
            System.err.println("WorkerThreads reads /proc/PID/task: it runs on Linux only");
            return 2;
        }
        try (ProcessPool pool = Pool.processes(c -> c.withWorkers(1))) {
            long pid = pool.submit(() -> ProcessHandle.current().pid()).get();
            for (int i = 0; i < 20_000; i++) {
                pool.submit(() -> 1).get();
            }
            Map<String, long[]> before = threads(pid);
            long start = System.nanoTime();
            long end = start + seconds * 1_000_000_000L;
            int calls = 0;
            while (System.nanoTime() < end) {
                pool.submit(() -> 1).get();
                calls++;
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            Map<String, long[]> after = threads(pid);
            System.out.printf("%d round trips in %.1f s: %.1f us each%n", calls, elapsed, elapsed * 1e6 / calls);
            for (Map.Entry<String, long[]> thread : after.entrySet()) {
                long[] now = thread.getValue();
                long[] then = before.getOrDefault(thread.getKey(), new long[2]);
                System.out.printf("  %-32s CPU %6d ms  blocked %8d times%n", thread.getKey(),
                        (now[0] - then[0]) * MS_PER_TICK, now[1] - then[1]);
            }
        }
        return 0;
    }

    /** The worker's own threads, by name and id: CPU ticks (user and system) and voluntary switches. */
    private static Map<String, long[]> threads(long pid) throws IOException {
        Map<String, long[]> threads = new TreeMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks) {
                String name = Files.readString(task.resolve("comm")).trim();
                if (!name.startsWith("weft")) {
                    continue;
                }
                String stat = Files.readString(task.resolve("stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);     // utime, stime
                long blocked = 0;
                for (String line : Files.readAllLines(task.resolve("status"))) {
                    if (line.startsWith("voluntary_ctxt_switches:")) {
                        blocked = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                    }
                }
                threads.put(name + " (" + task.getFileName() + ")", new long[] {ticks, blocked});
            }
        }
        return threads;
    }
}
