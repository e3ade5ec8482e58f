package com.example.weft;

import static com.example.weft.Console.section;

import dev.weft.AsyncResult;
import dev.weft.FailedException;
import dev.weft.Futures;
import dev.weft.Pool;
import dev.weft.ProcessPool;
import dev.weft.ReturnWhen;
import dev.weft.TaskFuture;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/**
 * Example 8: the common mistakes of Python's pool tutorials, made safely, each with the exact error
 * Weft (or javac) gives:
 *
 * <ol>
 * <li>passing a call's result instead of the function ({@code pool.submit(square(3))}): made
 *     impossible by the types, so javac refuses it, and this example runs javac on it to show the
 *     message; a process pool also refuses, at the call, a function it cannot send;</li>
 * <li>a callback that throws: it is logged, and the pool carries on (in Python the pool breaks);</li>
 * <li>joining a running pool;</li>
 * <li>submitting to a closed pool;</li>
 * <li>a task that fails silently, and how {@code AsyncResult} and {@code errorCallback} surface it.</li>
 * </ol>
 *
 * Run it with {@code ./weft example CommonErrors}.
 */
public final class CommonErrors {
    private CommonErrors() {
    }

    public static void main(String[] args) throws Exception {
        run(System.out);
    }

    /** Makes each mistake and prints what Weft answers. */
    static void run(PrintStream out) throws Exception {
        callResultInsteadOfFunction(out);
        try (Pool pool = Pool.cpu(c -> c.withName("errors").withWorkers(2))) {
            callbackThatThrows(out, pool);
            joinRunningPool(out, pool);
            submitToClosedPool(out);
            taskFailingSilently(out, pool);
        }
    }

    /** 1. {@code pool.submit(square(3))}: a type error, so it never runs. */
    private static void callResultInsteadOfFunction(PrintStream out) {
        section(out, "1. Passing a call's result instead of the function", "executor.submit(square(3))");
        String source = """
                import dev.weft.Pool;
                class Mistake {
                    static int square(int x) { return x * x; }
                    void run(Pool pool) throws Exception {
                        pool.submit(square(3));      // should be pool.submit(() -> square(3))
                    }
                }
                """;
        out.println("   pool.submit(square(3)) does not compile; javac says:");
        compileErrors(source).forEach(line -> out.println("      " + line));
        out.println("   (Python runs square(3) in the caller and submits its result, 9; the future then fails with"
                + " TypeError: 'int' object is not callable)");

        try (ProcessPool pool = Pool.processes(c -> c.withName("mistake").withWorkers(1).withLazyStart())) {
            Function<Integer, Integer> notSerializable = x -> x * x;   // a plain Function: it cannot travel
            pool.map(notSerializable, List.of(1, 2, 3));
        } catch (IllegalArgumentException e) {
            out.println("   a process pool given a function it cannot send throws, at the call:");
            out.println("      " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Compiles {@code source} against Weft and returns the first line of each error. */
    static List<String> compileErrors(String source) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            return List.of("(this Java runtime has no compiler; run it on a JDK to see javac's message)");
        }
        JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///Mistake.java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        String weft;
        try {
            weft = Path.of(Pool.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        List<String> options = List.of("-proc:none", "-d", System.getProperty("java.io.tmpdir"), "-cp", weft);
        javac.getTask(null, null, diagnostics, options, null, List.of(file)).call();
        List<String> errors = new ArrayList<>();
        diagnostics.getDiagnostics().forEach(d -> errors.add("Mistake.java:" + d.getLineNumber() + ": "
                + d.getKind().toString().toLowerCase(Locale.ROOT) + ": " + d.getMessage(Locale.ROOT).lines().findFirst().orElse("")));
        return errors;
    }

    /** 2. The callback throws: logged, the result is still ready, the pool still works. */
    private static void callbackThatThrows(PrintStream out, Pool pool) throws InterruptedException {
        section(out, "2. A callback that throws", "apply_async(f, callback=broken)");
        AsyncResult<Integer> r = pool.applyAsync(x -> x * 2, 21,
                x -> {
                    throw new IllegalStateException("a bug in the callback");
                },
                e -> out.println("   (not called: the task succeeded)"));
        out.println("   the callback threw; Weft logged it (a WARN line from the SLF4J logger dev.weft.Pool, on standard"
                + " error, with its stack trace) and changed nothing else:");
        out.println("   get() = " + r.get() + ", successful() = " + r.successful() + "; the pool still works: apply(x -> x + 1, 1) = "
                + pool.apply(x -> x + 1, 1));
        out.println("   (in Python, an exception in a callback breaks the pool: later results never arrive)");
    }

    /** 3. join() before shutdown() would wait for ever, so it is refused. */
    private static void joinRunningPool(PrintStream out, Pool pool) throws InterruptedException {
        section(out, "3. Joining a running pool", "pool.join() before pool.close()");
        try {
            pool.join();
        } catch (IllegalStateException e) {
            out.println("   " + e);
        }
    }

    /** 4. A submit after shutdown() is rejected. */
    private static void submitToClosedPool(PrintStream out) {
        section(out, "4. Submitting to a closed pool", "pool.close(); pool.apply_async(...)");
        Pool pool = Pool.cpu(c -> c.withName("closed").withWorkers(1));
        pool.close();
        try {
            pool.submit(() -> 1);
        } catch (RejectedExecutionException e) {
            out.println("   submit: " + e);
        }
        try {
            pool.applyAsync(x -> x, 1);
        } catch (RejectedExecutionException e) {
            out.println("   applyAsync: " + e);
        }
    }

    /** 5. A task that throws and whose result nobody reads: silent, until asked. */
    private static void taskFailingSilently(PrintStream out, Pool pool) throws InterruptedException {
        section(out, "5. A task failing silently", "apply_async(f) whose result is never read");
        AsyncResult<Integer> forgotten = pool.applyAsync(CommonErrors::parse, "forty-two");
        forgotten.waitFor();
        out.println("   applyAsync(parse, \"forty-two\") printed nothing: the exception waits in the result");
        out.println("   successful() = " + forgotten.successful());
        try {
            forgotten.get();
        } catch (FailedException e) {
            out.println("   get() throws " + e);
            out.println("      cause: " + e.getCause());
        }
        List<String> reported = new CopyOnWriteArrayList<>();      // written by a worker, read after waitFor
        AsyncResult<Integer> watched = pool.applyAsync(CommonErrors::parse, "forty-two",
                n -> reported.add("result " + n), e -> reported.add("errorCallback got " + e));
        watched.waitFor();                                   // ready only after its callback returned
        out.println("   with an errorCallback, the failure is reported as it happens: " + reported.get(0));
        TaskFuture<Integer> future = pool.submit(() -> parse("forty-two"));
        Futures.wait(List.of(future), ReturnWhen.ALL_COMPLETED);
        out.println("   a submit's future: state() = " + future.state() + ", exceptionNow() = " + future.exceptionNow());
    }

    static int parse(String number) {
        return Integer.parseInt(number);
    }
}
