package com.example.weft;

import static com.example.weft.Console.section;

import dev.weft.FailedException;
import dev.weft.Pool;
import dev.weft.ProcessPool;
import dev.weft.Progress;
import dev.weft.ResultIterator;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Example 10: progress bars for long maps, as Python's {@code tqdm} draws them for
 * {@code tqdm.contrib.concurrent.process_map} and {@code thread_map}. {@code pool.withProgress(bar)}
 * gives the pool's map calls with a {@link Progress.Listener}; {@link Bar} draws what it is told.
 *
 * <ol>
 * <li>CPU work in worker JVMs over a list, whose size is the total from the start:
 *     {@code process_map(count_primes, limits, chunksize=1)}.</li>
 * <li>Pages fetched on virtual threads from a local web server, over a lazy input whose total is
 *     known only at its end, in completion order, with a few pages that fail:
 *     {@code tqdm(pool.imap_unordered(fetch, urls))}.</li>
 * </ol>
 *
 * <p>On a terminal the bar is one line, redrawn in place with {@code \r}. When the output is not a
 * terminal (a pipe, a file, a CI log), redrawing would leave a mess, so it prints plain lines
 * instead: one at each tenth of a known total, one a second while the total is unknown, and one at
 * the end.
 *
 * Run it with {@code ./weft example ProgressBar [ITEMS]} (400 by default), and again with
 * {@code | cat} to see the plain lines.
 */
public final class ProgressBar {
    /** What the two maps reported last. */
    record Run(Progress primes, Progress pages) {
    }

    private ProgressBar() {
    }

    public static void main(String[] args) throws Exception {
        int items = args.length > 0 ? Integer.parseInt(args[0]) : 400;
        run(System.out, Console.isTerminal(), items);
    }

    /** Runs both maps over {@code items} items, drawing bars on {@code out} as a terminal or as plain lines. */
    static Run run(PrintStream out, boolean terminal, int items) throws Exception {
        section(out, "1. CPU work in worker JVMs, over a list", "process_map(count_primes, limits, chunksize=1)");
        List<Integer> limits = IntStream.range(0, items).map(i -> 20_000 + 100 * i).boxed().toList();
        Bar primes = new Bar(out, terminal, "primes");
        List<Integer> counts;
        try (ProcessPool pool = Pool.processes()) {
            counts = pool.withProgress(primes).map(ProgressBar::countPrimes, limits, 1);
        }
        out.println("   " + counts.size() + " counts; below " + limits.get(items - 1) + ": " + counts.get(items - 1)
                + " primes");

        section(out, "2. pages on virtual threads, over a lazy input", "tqdm(pool.imap_unordered(fetch, urls))");
        Bar pages = new Bar(out, terminal, "pages");
        try (LocalWebServer server = LocalWebServer.start(); Pool pool = Pool.io(c -> c.withWorkers(16))) {
            Iterable<URI> urls = () -> IntStream.range(0, items)     // not a collection: no total until its end
                    .mapToObj(i -> i % 25 == 24 ? server.failing() : server.page(1_000 + i, 5 + i % 20)).iterator();
            long bytes = 0;
            int failed = 0;
            ResultIterator<byte[]> bodies = pool.withProgress(pages).imapUnordered(ProgressBar::fetch, urls, 1);
            while (bodies.hasNext()) {
                try {
                    bytes += bodies.next().length;
                } catch (FailedException e) {
                    failed++;
                }
            }
            out.println("   " + bytes + " bytes; " + failed + " pages failed (every 25th fails on purpose)");
        }
        return new Run(primes.last, pages.last);
    }

    /** How many primes are below {@code limit}: a sieve, the CPU work. */
    static int countPrimes(int limit) {
        boolean[] composite = new boolean[limit];
        int count = 0;
        for (int n = 2; n < limit; n++) {
            if (!composite[n]) {
                count++;
                for (long m = (long) n * n; m < limit; m += n) {
                    composite[(int) m] = true;
                }
            }
        }
        return count;
    }

    private static byte[] fetch(URI uri) {
        try {
            return Pages.fetch(uri);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while fetching " + uri, e);
        }
    }

    /**
     * Draws the progress of one map: on a terminal, one line redrawn in place; elsewhere, a plain
     * line at each tenth of a known total (or every second while the total is unknown) and one at
     * the end. Weft calls a listener for one map at a time, never concurrently, each call
     * happening-before the next, so its fields need no lock. Calls are at most every 100 ms (the
     * default of {@code withProgress}), and the final one always comes, before {@code map} returns.
     */
    static final class Bar implements Progress.Listener {
        private static final int WIDTH = 30;

        private final PrintStream out;
        private final boolean terminal;
        private final String label;
        /** Terminal: the length of the line drawn last, to blank what a shorter one leaves. */
        private int drawn;
        /** Plain lines: the last tenth of a known total, and the last second of an unknown one, that have a line. */
        private long shownTenth;
        private long shownSecond;
        /** The last report. */
        Progress last;

        Bar(PrintStream out, boolean terminal, String label) {
            this.out = out;
            this.terminal = terminal;
            this.label = label;
        }

        @Override
        public void onProgress(Progress p) {
            last = p;
            if (terminal) {
                String line = "   " + label + " " + bar(p) + counts(p) + rates(p);
                out.print("\r" + line + " ".repeat(Math.max(0, drawn - line.length())));
                drawn = line.length();
                if (p.isFinished()) {
                    out.println();
                }
                out.flush();
                return;
            }
            if (p.isFinished()) {
                out.println("   " + label + ": " + counts(p) + " done in " + seconds(p) + ", " + rate(p) + failed(p));
                return;
            }
            boolean due;
            if (p.total().isPresent()) {                // tenths up to 90%: the final line is the 100% one
                long tenth = Math.min(9, p.done() * 10 / Math.max(1, p.total().getAsLong()));
                due = tenth > shownTenth;
                shownTenth = Math.max(shownTenth, tenth);
            } else {
                long second = p.elapsed().toSeconds();
                due = second > shownSecond;
                shownSecond = Math.max(shownSecond, second);
            }
            if (due) {
                out.println("   " + label + ": " + counts(p) + ", " + rate(p) + ", " + seconds(p) + failed(p));
            }
        }

        /** {@code [#########.....................] } for a known total, nothing otherwise. */
        private static String bar(Progress p) {
            if (p.total().isEmpty()) {
                return "";
            }
            int filled = (int) (p.done() * WIDTH / Math.max(1, p.total().getAsLong()));
            return "[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] ";
        }

        /** {@code 120/400 (30%)}, or {@code 120/?} while the total is unknown. */
        private static String counts(Progress p) {
            if (p.total().isEmpty()) {
                return p.done() + "/?";
            }
            long total = p.total().getAsLong();
            return p.done() + "/" + total + " (" + (total == 0 ? 100 : p.done() * 100 / total) + "%)";
        }

        /** The rate, the failures, and, once the total is known, the time left at this rate. */
        private static String rates(Progress p) {
            String eta = "";
            if (p.total().isPresent() && p.rate() > 0 && !p.isFinished()) {
                eta = ", " + Math.round((p.total().getAsLong() - p.done()) / p.rate()) + " s left";
            }
            return "  " + rate(p) + failed(p) + eta;
        }

        private static String rate(Progress p) {
            return String.format("%.1f items/s", p.rate());
        }

        private static String seconds(Progress p) {
            return String.format("%.1f s", p.elapsed().toMillis() / 1000.0);
        }

        private static String failed(Progress p) {
            return p.failed() == 0 ? "" : ", " + p.failed() + " failed";
        }
    }
}
