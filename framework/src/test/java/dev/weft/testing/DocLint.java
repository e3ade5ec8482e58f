package dev.weft.testing;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;

/**
 * javac's doclint over a module's main sources ({@code src/main/java} of the module the tests run
 * in), with every group of checks but {@code missing}: a broken {@code @link}, bad HTML, a tag in
 * the wrong place or a comment attached to nothing. The javadoc jar of a release is built with the
 * same checks (docs/releasing.md); running them here, in the tests, costs one compilation instead
 * of a javadoc run. The sources are compiled on the test's class path, so {@code module-info.java}
 * is left out: its comment is checked by the release's javadoc run.
 */
public final class DocLint {
    private DocLint() {
    }

    /**
     * What doclint reports, one line each ({@code file:line: message}), for the main sources,
     * compiled with {@code options} (e.g. {@code --release 21}); empty when the javadoc is clean.
     */
    public static List<String> findings(String... options) throws IOException {
        ToolProvider javac = ToolProvider.findFirst("javac").orElseThrow(
                () -> new AssertionError("the JDK running the tests has no javac (the jdk.compiler module)"));
        List<String> sources;
        try (Stream<Path> files = Files.walk(Path.of("src", "main", "java"))) {
            sources = files.filter(f -> f.toString().endsWith(".java") && !f.endsWith("module-info.java"))
                    .map(Path::toString).toList();
        }
        Path out = Files.createTempDirectory("weft-doclint");
        List<String> arguments = new ArrayList<>(List.of(options));
        arguments.addAll(List.of("-Xdoclint:all,-missing", "-Xlint:none", "-proc:none", "-implicit:none",
                "-Xmaxerrs", "1000", "-Xmaxwarns", "1000",
                "-cp", System.getProperty("java.class.path"), "-d", out.toString()));
        arguments.addAll(sources);
        StringWriter said = new StringWriter();
        int code;
        try {
            code = javac.run(new PrintWriter(said), new PrintWriter(said), arguments.toArray(String[]::new));
        } finally {
            deleteTree(out);
        }
        List<String> findings = new ArrayList<>(said.toString().lines()
                .filter(line -> line.contains(": error: ") || line.contains(": warning: ")).toList());
        if (code != 0 && findings.isEmpty()) {
            findings.add("javac failed (exit code " + code + "): " + said);
        }
        return findings;
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> all = Files.walk(root)) {
            all.sorted((a, b) -> b.getNameCount() - a.getNameCount()).map(Path::toFile).forEach(File::delete);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
