package com.example.weft;

import static com.example.weft.Console.millisSince;

import dev.weft.Pool;
import dev.weft.ProcessPool;
import dev.weft.ResultIterator;
import dev.weft.SharedCounter;
import dev.weft.TaskScope;
import dev.weft.UncheckedInterruptedException;
import java.io.PrintStream;
import java.io.Serializable;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Example 6: mixed IO and CPU work, the seed's "Australian animals". Each task, in a worker JVM,
 * fetches an animal's pages at once from a local web server (a virtual thread per page, with
 * {@link java.net.http.HttpClient}), then hashes what it fetched, a CPU-bound pass over every
 * byte, several times. All workers add the bytes they hash to one {@link SharedCounter}:
 *
 * <ul>
 * <li>first racy, {@code counter.set(counter.get() + n)}: two workers read the same value, both
 *     write theirs, and one update is lost (the lost-update lesson of the jcstress counters,
 *     {@code stress-tests}, now between processes);</li>
 * <li>then fixed, {@code counter.addAndGet(n)}: one atomic instruction on the shared memory.</li>
 * </ul>
 *
 * It reports each task's fetch and CPU times, each worker's, and the total.
 * Python: {@code ProcessPoolExecutor} tasks that fetch with threads, and {@code multiprocessing.Value}
 * updated without and then with its lock.
 *
 * Run it with {@code ./weft example MixedIoCpu}.
 */
public final class MixedIoCpu {
    private static final List<String> ANIMALS = List.of("kangaroo", "koala", "wombat", "platypus", "emu", "quokka",
            "echidna", "dingo");
    /** How many bytes a task hashes between two updates of the shared counter. */
    static final int BLOCK = 512;

    /** An animal's pages to fetch, and how many hashing passes to make over them. */
    record Animal(String name, List<URI> pages, int passes) implements Serializable {
    }

    /** What one task did, where, and how long each half took. */
    record Report(String animal, int worker, long pid, long bytes, long fetchMillis, long cpuMillis, long hash)
            implements Serializable {
    }

    private MixedIoCpu() {
    }

    public static void main(String[] args) throws Exception {
        run(System.out, Pool.carrierCount(), ANIMALS.size(), 256, 200);
    }

    /**
     * Fetches and hashes the pages of {@code animals} animals on {@code workers} worker JVMs, racy
     * then fixed; animal {@code i} has {@code i % 3 + 2} pages of up to {@code pageKb} KiB, hashed
     * {@code passes} times. Returns what the fixed counter said.
     */
    static long run(PrintStream out, int workers, int animals, int pageKb, int passes) throws Exception {
        try (LocalWebServer server = LocalWebServer.start();
             SharedCounter counter = SharedCounter.create();
             ProcessPool pool = Pool.processes(c -> c.withName("animals").withWorkers(workers))) {
            List<Animal> work = new ArrayList<>();
            long expected = 0;
            for (int i = 0; i < animals; i++) {
                List<URI> pages = new ArrayList<>();
                for (int p = 0; p < i % 3 + 2; p++) {
                    int size = pageKb * 1024 / (p + 1);
                    pages.add(server.page(size, 50L + 50L * ((i + p) % 4)));
                    expected += (long) size * passes;
                }
                work.add(new Animal(ANIMALS.get(i % ANIMALS.size()) + (i < ANIMALS.size() ? "" : "-" + i), pages, passes));
            }
            out.println(animals + " animals on " + workers + " worker JVMs: fetch each one's pages at once, then hash"
                    + " them " + passes + " times; every worker adds the bytes it hashes to one shared counter");
            for (boolean racy : new boolean[] {true, false}) {
                counter.set(0);
                out.println();
                out.println(racy ? "Racy: counter.set(counter.get() + n)    (Python: value.value += n, without the lock)"
                        : "Fixed: counter.addAndGet(n)    (Python: with value.get_lock(): value.value += n)");
                long start = System.nanoTime();
                List<Report> reports = new ArrayList<>();
                ResultIterator<Report> done = pool.imapUnordered(a -> fetchAndHash(a, counter, racy), work);
                while (done.hasNext()) {
                    reports.add(done.next());
                    Console.progress(out, "animals", reports.size(), work.size());
                }
                long total = millisSince(start);
                report(out, reports);
                long counted = counter.get();
                out.printf("   total: %d ms; bytes hashed: %d; the counter says %d: %s%n", total, expected, counted,
                        counted == expected ? "exact"
                                : String.format("%d bytes lost (%.2f%%)", expected - counted,
                                        100.0 * (expected - counted) / expected));
                if (racy) {
                    out.println("   (this first round's times include each worker's warm-up: class loading, the JIT,"
                            + " its HttpClient)");
                }
                if (!racy) {
                    return counted;
                }
            }
            throw new AssertionError("unreachable");
        }
    }

    private static void report(PrintStream out, List<Report> reports) {
        reports.sort(Comparator.comparing(Report::worker).thenComparing(Report::animal));
        Map<Integer, long[]> perWorker = new TreeMap<>();
        for (Report r : reports) {
            out.printf("   %-10s worker %d (JVM %d): %7d bytes, fetch %4d ms, hash %5d ms%n", r.animal(), r.worker(),
                    r.pid(), r.bytes(), r.fetchMillis(), r.cpuMillis());
            long[] sums = perWorker.computeIfAbsent(r.worker(), w -> new long[3]);
            sums[0]++;
            sums[1] += r.fetchMillis();
            sums[2] += r.cpuMillis();
        }
        perWorker.forEach((worker, sums) -> out.printf("   worker %d: %d animals, fetching %d ms, hashing %d ms%n",
                worker, sums[0], sums[1], sums[2]));
    }

    /** A task, in a worker JVM: fetches the pages at once on virtual threads, then hashes them. */
    static Report fetchAndHash(Animal animal, SharedCounter counter, boolean racy) {
        long start = System.nanoTime();
        List<byte[]> pages;
        try (var scope = TaskScope.<byte[]>open()) {
            for (URI page : animal.pages()) {
                scope.fork(() -> Pages.fetch(page));
            }
            pages = scope.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedInterruptedException("fetching " + animal.name() + " was interrupted", e);
        }
        long fetchMillis = millisSince(start);
        start = System.nanoTime();
        long hash = 0xcbf29ce484222325L;                             // FNV-1a
        long bytes = 0;
        for (int pass = 0; pass < animal.passes(); pass++) {
            for (byte[] page : pages) {
                for (int from = 0; from < page.length; from += BLOCK) {
                    int to = Math.min(page.length, from + BLOCK);
                    for (int k = from; k < to; k++) {
                        hash = (hash ^ page[k]) * 0x100000001b3L;
                    }
                    if (racy) {
                        counter.set(counter.get() + (to - from));   // read, add, write: not atomic
                    } else {
                        counter.addAndGet(to - from);
                    }
                }
                bytes += page.length;
            }
        }
        Pool.Worker worker = Pool.currentWorker().orElseThrow();
        return new Report(animal.name(), worker.index(), worker.pid(), bytes / animal.passes(), fetchMillis,
                millisSince(start), hash);
    }
}
