package dev.weft.testing;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;

/**
 * doclint over a module's main sources ({@code src/main/java} of the module the tests run in), in
 * two runs, so that the javadoc jar of a release builds without a warning (docs/releasing.md):
 *
 * <ol>
 * <li><b>Every source, every group but {@code missing}</b>: javac compiles all of
 *     {@code src/main/java} with {@code -Xdoclint:all,-missing}, which finds a broken
 *     {@code @link}, bad HTML, a tag in the wrong place or a comment attached to nothing, in
 *     internal packages and private members too. These sources are compiled on the test's class
 *     path, so {@code module-info.java} is left out: its comment is checked by the release's
 *     javadoc run.</li>
 * <li><b>The published API, every group</b>: the javadoc tool documents the packages that
 *     {@code module-info.java} exports to everyone ({@code exports P;}, not
 *     {@code exports P to M;}), which are the packages of the release's javadoc jar, with
 *     {@code -Xdoclint:all}. So it also finds what the {@code missing} group reports there: a
 *     public or protected member without a comment, or without its {@code @param},
 *     {@code @return} or {@code @throws} for a declared exception; and, as javadoc reads them for
 *     the serialized form, the comments of the package's serializable classes, package-private
 *     ones too, and their private fields and serialization methods. javac's doclint could check
 *     the {@code missing} group in these packages ({@code -Xdoclint:missing/protected} with
 *     {@code -Xdoclint/package:}), but not the serialized form: 37 of the 557 warnings in the
 *     core when this check came were there. So this run is the release's own check. The rest of
 *     the module is found, compiled, on the class path. A module that exports nothing (the sts
 *     engine) skips this run.</li>
 * </ol>
 *
 * Each run costs about a compilation: the two take about 6 seconds for the core on 2 cores.
 */
public final class DocLint {
    /** An unqualified export in a module declaration: {@code exports dev.weft;}. */
    private static final Pattern EXPORT = Pattern.compile("(?m)^\\s*exports\\s+([\\w.]+)\\s*;");

    private DocLint() {
    }

    /**
     * What doclint reports, one line each ({@code file:line: message}), for the main sources,
     * checked with {@code options} (e.g. {@code --release 21}) given to both runs; empty when the
     * javadoc is clean.
     *
     * @param options the options both tools need for these sources, such as {@code --release 21}
     * @return the findings of both runs, each once, in the order reported; empty if there are none
     * @throws IOException if the sources cannot be listed or a temporary directory made
     */
    public static List<String> findings(String... options) throws IOException {
        Path root = Path.of("src", "main", "java");
        List<Path> sources;
        try (Stream<Path> files = Files.walk(root)) {
            sources = files.filter(f -> f.toString().endsWith(".java")).toList();
        }
        Set<String> findings = new LinkedHashSet<>();
        List<String> everySource = sources.stream().filter(f -> !f.endsWith("module-info.java"))
                .map(Path::toString).toList();
        findings.addAll(run("javac", options, List.of("-Xdoclint:all,-missing", "-Xlint:none", "-proc:none",
                "-implicit:none"), everySource));
        List<String> published = published(root, sources);
        if (!published.isEmpty()) {
            findings.addAll(run("javadoc", options, List.of("-Xdoclint:all", "-quiet"), published));
        }
        return List.copyOf(findings);
    }

    /** The source files of the packages that {@code root}'s {@code module-info.java} exports to everyone. */
    private static List<String> published(Path root, List<Path> sources) throws IOException {
        Path descriptor = root.resolve("module-info.java");
        if (!Files.exists(descriptor)) {
            throw new AssertionError(descriptor.toAbsolutePath() + " is missing: DocLint reads the published "
                    + "packages from it");
        }
        Set<Path> packages = new LinkedHashSet<>();
        Matcher export = EXPORT.matcher(Files.readString(descriptor));
        while (export.find()) {
            packages.add(root.resolve(export.group(1).replace('.', File.separatorChar)));
        }
        return sources.stream().filter(f -> packages.contains(f.getParent())).map(Path::toString).toList();
    }

    /** Runs {@code tool} over {@code files}, writing into a temporary directory, and returns what it reported. */
    private static List<String> run(String tool, String[] options, List<String> checks, List<String> files)
            throws IOException {
        ToolProvider provider = ToolProvider.findFirst(tool).orElseThrow(() -> new AssertionError(
                "the JDK running the tests has no " + tool + " (the jdk.compiler and jdk.javadoc modules)"));
        Path out = Files.createTempDirectory("weft-doclint");
        List<String> arguments = new ArrayList<>(List.of(options));
        arguments.addAll(checks);
        arguments.addAll(List.of("-Xmaxerrs", "10000", "-Xmaxwarns", "10000",
                "-cp", System.getProperty("java.class.path"), "-d", out.toString()));
        arguments.addAll(files);
        StringWriter said = new StringWriter();
        int code;
        try {
            code = provider.run(new PrintWriter(said), new PrintWriter(said), arguments.toArray(String[]::new));
        } finally {
            TempDirs.deleteTree(out);
        }
        List<String> findings = new ArrayList<>(said.toString().lines()
                .filter(line -> line.contains(": error: ") || line.contains(": warning: ")).toList());
        if (code != 0 && findings.isEmpty()) {
            findings.add(tool + " failed (exit code " + code + "): " + said);
        }
        return findings;
    }

}
