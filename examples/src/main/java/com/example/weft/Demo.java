package com.example.weft;

import dev.weft.FailedException;
import dev.weft.Futures;
import dev.weft.Pool;
import dev.weft.ReturnWhen;
import dev.weft.TaskScope;
import dev.weft.TaskScope.Joiner;
import dev.weft.TaskScope.Subtask;
import dev.weft.UncheckedTimeoutException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * The main demo: a short tour of Weft for a reader who knows Python's concurrency vocabulary.
 * Every fetch is a real HTTP request to a web server on loopback that the demo starts.
 *
 * <ol>
 * <li>fan out IO in a scope ({@code asyncio.TaskGroup}, {@code ThreadPoolExecutor.map});</li>
 * <li>the first failure cancels its siblings;</li>
 * <li>a deadline;</li>
 * <li>results as they complete ({@code as_completed});</li>
 * <li>{@code wait(FIRST_COMPLETED)};</li>
 * <li>the parallel for loop three ways: a thread per task, the IO pool and the CPU pool, on IO
 *     work and on CPU work.</li>
 * </ol>
 *
 * Run it with {@code ./weft demo}.
 */
public final class Demo {
    /** What one fetch brought back, and which thread fetched it. */
    record Page(String path, int bytes, String thread) {
    }

    private final PrintStream out;
    private final LocalWebServer server;
    private final HttpClient client;

    private Demo(PrintStream out, LocalWebServer server, HttpClient client) {
        this.out = out;
        this.server = server;
        this.client = client;
    }

    public static void main(String[] args) throws Exception {
        run(System.out);
    }

    /** Runs the whole tour, printing to {@code out}. */
    static void run(PrintStream out) throws Exception {
        try (LocalWebServer server = LocalWebServer.start();
             HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            Demo demo = new Demo(out, server, client);
            demo.fetch(server.page(1, 0)); // opens the connection pool, so that timings show the IO
            out.println("Weft demo: structured concurrency on virtual threads (Java " + Runtime.version() + ")");
            demo.fanOut();
            demo.firstFailureCancelsSiblings();
            demo.deadline();
            demo.asCompleted();
            demo.waitFirstCompleted();
            demo.parallelForLoop();
        }
    }

    /** 1. Five fetches at once in one scope; join gives the results in fork order. */
    private void fanOut() throws Exception {
        section("1. Fan out IO in a scope", "asyncio.TaskGroup / ThreadPoolExecutor.map");
        long start = System.nanoTime();
        try (var scope = TaskScope.open(Joiner.<Page>allSuccessful(), c -> c.withName("fetch"))) {
            for (int i = 1; i <= 5; i++) {
                URI page = server.page(i * 1024, 100);
                scope.fork(() -> fetch(page));
            }
            for (Page page : scope.join()) {
                out.printf("   %-28s %5d bytes  on %s%n", page.path(), page.bytes(), page.thread());
            }
        }
        out.printf("   5 pages of 100 ms each took %d ms together; one after another they take 500 ms or more%n",
                millisSince(start));
    }

    /** 2. One fetch fails; its slow siblings are interrupted at once instead of running on. */
    private void firstFailureCancelsSiblings() throws Exception {
        section("2. The first failure cancels its siblings", "asyncio.TaskGroup cancelling on error");
        long start = System.nanoTime();
        try (var scope = TaskScope.<Page>open()) {
            Subtask<Page> slow1 = scope.fork(() -> fetch(server.page(10, 10_000)));
            Subtask<Page> slow2 = scope.fork(() -> fetch(server.page(10, 10_000)));
            scope.fork(() -> fetch(server.failing()));
            try {
                scope.join();
            } catch (FailedException e) {
                out.println("   join() threw FailedException, cause: " + e.getCause());
                out.println("   the two 10-second fetches: " + slow1.state() + ", " + slow2.state()
                        + ", after " + millisSince(start) + " ms");
            }
        }
    }

    /** 3. A scope with a 200 ms deadline around a fetch that takes 10 s. */
    private void deadline() throws Exception {
        section("3. A deadline", "asyncio.timeout / future.result(timeout=...)");
        long start = System.nanoTime();
        try (var scope = TaskScope.open(Joiner.<Page>allSuccessful(),
                c -> c.withName("slow").withTimeout(Duration.ofMillis(200)))) {
            Subtask<Page> slow = scope.fork(() -> fetch(server.page(10, 10_000)));
            try {
                scope.join();
            } catch (UncheckedTimeoutException e) {
                out.println("   join() threw UncheckedTimeoutException after " + millisSince(start)
                        + " ms; the fetch is " + slow.state());
            }
        }
    }

    /** 4. Three fetches of 300, 100 and 200 ms, taken in the order they finish. */
    private void asCompleted() throws Exception {
        section("4. Results as they complete", "concurrent.futures.as_completed");
        try (var scope = TaskScope.open(Joiner.<Page>awaitAll(), c -> c.withName("race"))) {
            for (long delay : new long[] {300, 100, 200}) {
                scope.fork(() -> fetch(server.page((int) delay, delay)));
            }
            List<String> order = new ArrayList<>();
            for (Subtask<Page> done : scope.asCompleted()) {
                order.add(done.get().bytes() + " ms");
            }
            scope.join();
            out.println("   forked 300 ms, 100 ms, 200 ms; completed " + String.join(", ", order));
        }
    }

    /** 5. Plain executor futures, waited for until the first one is done; the rest are cancelled. */
    private void waitFirstCompleted() throws Exception {
        section("5. wait(FIRST_COMPLETED) over any futures", "concurrent.futures.wait(fs, return_when=FIRST_COMPLETED)");
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Page>> futures = new ArrayList<>();
            for (long delay : new long[] {800, 50, 400}) {
                futures.add(executor.submit(() -> fetch(server.page((int) delay, delay))));
            }
            var waited = Futures.wait(futures, ReturnWhen.FIRST_COMPLETED, Duration.ofSeconds(10));
            for (Future<Page> done : waited.done()) {
                out.println("   first done: the " + done.resultNow().bytes() + " ms fetch");
            }
            out.println("   still running: " + waited.notDone().size() + "; cancelling them");
            waited.notDone().forEach(f -> f.cancel(true));
        }
    }

    /** 6. The same loop body, eight times in parallel, run three ways; once waiting, once computing. */
    private void parallelForLoop() throws Exception {
        section("6. A parallel for loop, three ways", "Thread per task / ThreadPool / multiprocessing.Pool");
        List<Long> inputs = List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
        Function<Long, Long> io = i -> {
            try {
                return (long) fetch(server.page(8, 100)).bytes() * i;    // waits 100 ms
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        };
        Function<Long, Long> cpu = i -> {
            long sum = 0;
            for (long k = 0; k < 30_000_000L; k++) {                      // computes
                sum += k % (i + 1);
            }
            return sum;
        };
        out.printf("   %-24s %12s %12s%n", "", "IO tasks", "CPU tasks");
        out.printf("   %-24s %9d ms %9d ms%n", "a thread per task", threadPerTask(io, inputs), threadPerTask(cpu, inputs));
        try (Pool pool = Pool.io()) {
            out.printf("   %-24s %9d ms %9d ms%n", "Pool.io() (virtual)", timedMap(pool, io, inputs), timedMap(pool, cpu, inputs));
        }
        try (Pool pool = Pool.cpu()) {
            out.printf("   %-24s %9d ms %9d ms%n", "Pool.cpu() (" + pool.workers() + " threads)",
                    timedMap(pool, io, inputs), timedMap(pool, cpu, inputs));
        }
        out.println("   verdict: waiting work wants a thread per task (virtual threads make that cheap);");
        out.println("   computing work cannot beat the core count, and belongs on Pool.cpu(), off the virtual-thread carriers");
    }

    private static long threadPerTask(Function<Long, Long> body, List<Long> inputs) throws InterruptedException {
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (Long input : inputs) {
            threads.add(Thread.ofPlatform().name("demo-thread-" + input).start(() -> body.apply(input)));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return millisSince(start);
    }

    private static long timedMap(Pool pool, Function<Long, Long> body, List<Long> inputs) throws InterruptedException {
        long start = System.nanoTime();
        pool.map(body, inputs, 1);
        return millisSince(start);
    }

    private Page fetch(URI uri) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(uri).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException("HTTP " + response.statusCode() + " from " + uri.getPath());
        }
        String path = uri.getPath() + (uri.getQuery() == null ? "" : "?" + uri.getQuery());
        return new Page(path, response.body().length, Thread.currentThread().getName());
    }

    private void section(String title, String python) {
        out.println();
        out.println(title + "    (Python: " + python + ")");
    }

    private static long millisSince(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
    }
}
