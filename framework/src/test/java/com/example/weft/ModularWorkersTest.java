package com.example.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.Pool;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A modular application's process pool, as its author builds and runs it: an application module
 * of its own ({@code com.example.modapp}, compiled here), Weft and SLF4J on the module path or
 * linked into a runtime image. A worker must resolve the modules its parent resolved: the
 * application's, wherever they come from, and not a module on the path that the parent never
 * needed.
 */
class ModularWorkersTest {
    private static final String APP = """
            package com.example.modapp;

            import dev.weft.Pool;
            import dev.weft.ProcessPool;
            import java.util.List;

            public class Main {
                public static void main(String[] args) throws Exception {
                    try (ProcessPool pool = Pool.processes(c -> c.withWorkers(1))) {
                        List<String> seen = pool.map(x -> Main.class.getModule().getName() + "/" + (x * 2), List.of(1, 2, 3));
                        System.out.println("WORKERS " + String.join(",", seen));
                    }
                }
            }
            """;

    @TempDir
    Path dir;

    /**
     * A module on the module path that the parent never resolves, whose own requirement is
     * missing, does not stop the workers: they resolve the parent's modules, not the whole path.
     */
    @Test
    void aModuleThatTheParentNeverResolvedDoesNotStopTheWorkers() throws Exception {
        Path app = compileApp();
        Path absent = dir.resolve("weft.test.absent-classes");     // compiled against, then left out
        javac("-d", absent.toString(), source("weft.test.absent", "module weft.test.absent { }").toString());
        Path unresolved = moduleJar("weft.test.unresolved", "module weft.test.unresolved { requires weft.test.absent; }",
                "-p", absent.toString());
        String modulePath = String.join(File.pathSeparator, weftAndSlf4j(), app.toString(), unresolved.toString());

        Programs.Output output = Programs.run(List.of(Programs.tool("java"), "-Dslf4j.internal.verbosity=ERROR",
                "-p", modulePath, "-m", "com.example.modapp/com.example.modapp.Main"), dir);

        assertThat(output.out()).containsExactly("WORKERS com.example.modapp/2,com.example.modapp/4,com.example.modapp/6");
    }

    /**
     * A runtime image made with jlink holds the application, Weft and SLF4J, and has no module
     * path: its workers start from the image and run the application's own module.
     */
    @Test
    void workersStartFromARuntimeImage() throws Exception {
        ToolProvider jlink = ToolProvider.findFirst("jlink").orElse(null);
        assumeTrue(jlink != null, "this JDK has no jlink");
        Path app = compileApp();
        Path image = dir.resolve("image");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        int linked;
        try (PrintWriter out = new PrintWriter(log, true, StandardCharsets.UTF_8)) {
            linked = jlink.run(out, out, "--module-path", String.join(File.pathSeparator, weftAndSlf4j(), app.toString()),
                    "--add-modules", "com.example.modapp", "--output", image.toString());
        }
        assumeTrue(linked == 0, () -> "jlink cannot link this JDK's modules here: " + log);

        Programs.Output output = Programs.run(List.of(image.resolve("bin").resolve("java").toString(),
                "-Dslf4j.internal.verbosity=ERROR", "-m", "com.example.modapp/com.example.modapp.Main"), dir);

        assertThat(output.out()).containsExactly("WORKERS com.example.modapp/2,com.example.modapp/4,com.example.modapp/6");
    }

    /**
     * An application on the class path that its JVM gives a module the JDK does not resolve by
     * default ({@code --add-modules jdk.incubator.vector}, the Vector API): its tasks use that
     * module in the workers too. Given again through {@code JDK_JAVA_OPTIONS}, which the workers'
     * launcher also reads, with a patch of {@code java.base}, the flags reach a worker once: the
     * JVM refuses a module patched twice.
     */
    @Test
    void aClassPathApplicationsAddedModulesReachItsWorkers() throws Exception {
        Files.writeString(dir.resolve("Main.java"), """
                import dev.weft.Pool;
                import dev.weft.ProcessPool;
                import java.util.List;

                public class Main {
                    public static void main(String[] args) throws Exception {
                        try (ProcessPool pool = Pool.processes(c -> c.withWorkers(1))) {
                            System.out.println("LANES " + pool.map(x -> x * jdk.incubator.vector.IntVector.SPECIES_64.length(),
                                    List.of(1, 2)));
                        }
                    }
                }
                """);
        List<String> command = List.of(Programs.tool("java"), "-Dslf4j.internal.verbosity=ERROR",
                "--add-modules", "jdk.incubator.vector", "-cp", weftAndSlf4j(), "Main.java");

        assertThat(Programs.run(command, dir).out()).containsExactly("LANES [2, 4]");

        Path patch = Files.createDirectories(dir.resolve("empty-patch"));
        Map<String, String> launcher = Map.of("JDK_JAVA_OPTIONS",
                "--add-modules jdk.incubator.vector --patch-module java.base=" + patch);
        List<String> plain = List.of(Programs.tool("java"), "-Dslf4j.internal.verbosity=ERROR", "-cp", weftAndSlf4j(),
                "Main.java");
        assertThat(Programs.run(plain, dir, launcher).out()).containsExactly("LANES [2, 4]");
    }

    /** Weft (the build's classes) and SLF4J's API, as module path entries. */
    private static String weftAndSlf4j() throws Exception {
        return String.join(File.pathSeparator, Programs.location(Pool.class),
                Programs.location(org.slf4j.LoggerFactory.class));
    }


    /** Compiles the application module {@code com.example.modapp} into a directory of its own. */
    private Path compileApp() throws IOException {
        Path src = Files.createDirectories(dir.resolve("src/com/example/modapp"));
        Files.writeString(dir.resolve("src/module-info.java"), "module com.example.modapp { requires dev.weft; }");
        Files.writeString(src.resolve("Main.java"), APP);
        Path out = dir.resolve("app");
        javac("-d", out.toString(), "-p", weftAndSlf4jOrFail(), dir.resolve("src/module-info.java").toString(),
                src.resolve("Main.java").toString());
        return out;
    }

    /** Writes {@code declaration} as the module-info.java of module {@code name}; returns that file. */
    private Path source(String name, String declaration) throws IOException {
        Path src = Files.createDirectories(dir.resolve(name + "-src"));
        return Files.writeString(src.resolve("module-info.java"), declaration);
    }

    /**
     * A modular jar that holds nothing but the module declaration {@code declaration}, compiled
     * with {@code options} before it.
     */
    private Path moduleJar(String name, String declaration, String... options) throws IOException {
        Path classes = dir.resolve(name + "-classes");
        List<String> args = new java.util.ArrayList<>(List.of(options));
        args.addAll(List.of("-d", classes.toString(), source(name, declaration).toString()));
        javac(args.toArray(String[]::new));
        Path jar = dir.resolve(name + ".jar");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            out.putNextEntry(new JarEntry("module-info.class"));
            out.write(Files.readAllBytes(classes.resolve("module-info.class")));
            out.closeEntry();
        }
        return jar;
    }

    private static String weftAndSlf4jOrFail() {
        try {
            return weftAndSlf4j();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void javac(String... args) {
        ToolProvider javac = ToolProvider.findFirst("javac").orElseThrow(() -> new AssertionError("this JDK has no javac"));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        int compiled;
        try (PrintWriter out = new PrintWriter(log, true, StandardCharsets.UTF_8)) {
            compiled = javac.run(out, out, args);
        }
        assertThat(compiled).as("javac %s: %s", List.of(args), log).isZero();
    }
}
