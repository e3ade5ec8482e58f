package com.example.readme;

import java.io.IOException;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;

/**
 * Turns the README's {@code ```java} blocks into classes of a user's program and runs them. Each
 * snippet becomes, unchanged, the body of {@code public static void run() throws Exception} in a
 * class of package {@code com.example.readme}, which imports what a program using Weft imports
 * ({@code dev.weft.*}, {@code java.util.*}, …) and the helpers of {@link ReadmeSnippets}. It is
 * compiled with {@code javax.tools} against this JVM's class path into the directory of the test
 * classes, which is on the class path too, so that the application class loader loads it and a
 * worker JVM, which starts on the parent's class path, finds it as it finds a user's classes.
 *
 * <p>Used by one thread at a time: the check that runs a snippet.
 */
final class SnippetCompiler {
    private static final Pattern JAVA_BLOCK = Pattern.compile("^```java\\n(.*?)^```", Pattern.DOTALL | Pattern.MULTILINE);
    private static final String PACKAGE = "com.example.readme";
    private static final String HEADER = """
            package com.example.readme;

            import static com.example.readme.ReadmeSnippets.*;

            import dev.weft.*;
            import dev.weft.TaskScope.*;
            import java.time.Duration;
            import java.util.*;
            import java.util.concurrent.Future;

            public final class %s {
                public static void run() throws Exception {
            """;
    private static final String FOOTER = """
                }
            }
            """;
    /** Lines of {@link #HEADER} before the snippet's first line. */
    private static final int HEADER_LINES = (int) HEADER.lines().count();

    private final Path output;

    private SnippetCompiler(Path output) {
        this.output = output;
    }

    /** A compiler that writes its classes beside the test classes, a directory on this JVM's class path. */
    static SnippetCompiler besideTheTests() {
        try {
            return new SnippetCompiler(Path.of(SnippetCompiler.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
        } catch (URISyntaxException e) {
            throw new IllegalStateException("the test classes' location is not a path", e);
        }
    }

    /** The {@code ```java} blocks of a Markdown text, in order, each without its fences. */
    static List<String> javaBlocks(String markdown) {
        List<String> blocks = new ArrayList<>();
        Matcher m = JAVA_BLOCK.matcher(markdown);
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    /**
     * Compiles {@code snippet} as the body of {@code run()} in class {@code simpleName}.
     *
     * @throws AssertionError with javac's messages, their lines counted in the snippet, if it does not compile
     */
    void compile(String simpleName, String snippet) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
            files.setLocationFromPaths(StandardLocation.CLASS_OUTPUT, List.of(output));
            JavaFileObject source = new Source(simpleName, HEADER.formatted(simpleName) + snippet + FOOTER);
            List<String> options = List.of("-classpath", System.getProperty("java.class.path"), "-proc:none");
            StringWriter javacOutput = new StringWriter();
            boolean ok = javac.getTask(javacOutput, files, diagnostics, options, null, List.of(source)).call();
            if (!ok) {
                StringBuilder why = new StringBuilder("the README snippet for " + simpleName + " does not compile:\n");
                for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                    if (d.getKind() == Diagnostic.Kind.ERROR) {
                        why.append("  snippet line ").append(d.getLineNumber() - HEADER_LINES).append(": ")
                                .append(d.getMessage(Locale.ROOT)).append('\n');
                    }
                }
                throw new AssertionError(why.append(javacOutput).append("the snippet:\n").append(snippet));
            }
        }
    }

    /**
     * Runs {@code run()} of the compiled class {@code simpleName}, loaded by the application class
     * loader, and rethrows what it throws.
     *
     * @throws AssertionError if the application class loader cannot find the class
     */
    void run(String simpleName) throws Throwable {
        Class<?> snippet;
        try {
            snippet = Class.forName(PACKAGE + "." + simpleName, true, ClassLoader.getSystemClassLoader());
        } catch (ClassNotFoundException e) {
            throw new AssertionError(output + ", where the snippet was compiled to, is not on the class path", e);
        }
        try {
            snippet.getMethod("run").invoke(null);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** A source file held in memory. */
    private static final class Source extends SimpleJavaFileObject {
        private final String code;

        Source(String simpleName, String code) {
            super(URI.create("string:///" + PACKAGE.replace('.', '/') + "/" + simpleName + ".java"), Kind.SOURCE);
            this.code = code;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return code;
        }
    }
}
