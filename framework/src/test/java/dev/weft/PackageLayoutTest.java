package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package layout of ADR 0008, as {@code jdeps} reads it from the compiled classes: the API on
 * top, the machinery below it, each package depending downward only.
 */
class PackageLayoutTest {
    /** Package → the other Weft packages its classes name. */
    private static Map<String, Set<String>> edges;

    @BeforeAll
    static void readTheClasses() throws URISyntaxException {
        Path classes = Path.of(Pool.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path slf4j = Path.of(org.slf4j.Logger.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(
                () -> new AssertionError("the JDK running the tests has no jdeps (the jdk.jdeps module)"));
        StringWriter out = new StringWriter();
        int code = jdeps.run(new PrintWriter(out), new PrintWriter(out), "-verbose:package", "-filter:none", "--multi-release", "21",
                "--module-path", slf4j.toString(), classes.toString());
        assertThat(code).as("jdeps's exit code; it said:%n%s", out).isZero();
        edges = new TreeMap<>();
        Matcher edge = Pattern.compile("(?m)^\\s+(dev\\.weft[\\w.]*)\\s+->\\s+([\\w.]+)\\s").matcher(out.toString());
        while (edge.find()) {
            edges.computeIfAbsent(edge.group(1), p -> new TreeSet<>());
            if (edge.group(2).startsWith("dev.weft") && !edge.group(1).equals(edge.group(2))) {
                edges.get(edge.group(1)).add(edge.group(2));
            }
        }
        assertThat(edges).as("jdeps found Weft's packages; it said:%n%s", out)
                .containsKeys("dev.weft", "dev.weft.spi", "dev.weft.internal.wire", "dev.weft.internal.remote",
                        "dev.weft.internal.process", "dev.weft.internal.cluster", "dev.weft.internal.threads",
                        "dev.weft.internal.jfr", "dev.weft.internal.jmx");
    }

    /** Nothing below the API names a type of {@code dev.weft} or of its SPI: the internals sit below both. */
    @Test
    void internalPackagesDependOnNeitherTheApiNorTheSpi() {
        edges.forEach((from, to) -> {
            if (from.startsWith("dev.weft.internal.")) {
                assertThat(to).as(from + " depends on").doesNotContain("dev.weft", "dev.weft.spi");
            }
        });
    }

    /** The SPI names JDK types and its own only: the engines' modules see no API type through it. */
    @Test
    void theSpiNamesNoOtherWeftPackage() {
        assertThat(edges.get("dev.weft.spi")).as("dev.weft.spi depends on").isEmpty();
    }

    /** No cycle between packages. */
    @Test
    void noPackageCycles() {
        assertThat(cycles()).isEmpty();
    }

    /** The strongly connected groups of more than one package (Tarjan's algorithm). */
    private static Set<Set<String>> cycles() {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new HashSet<>();
        Set<Set<String>> found = new HashSet<>();
        for (String p : edges.keySet()) {
            if (!index.containsKey(p)) {
                connect(p, index, low, stack, onStack, found);
            }
        }
        return found;
    }

    private static void connect(String p, Map<String, Integer> index, Map<String, Integer> low, Deque<String> stack,
                                Set<String> onStack, Set<Set<String>> found) {
        index.put(p, index.size());
        low.put(p, index.get(p));
        stack.push(p);
        onStack.add(p);
        for (String q : edges.getOrDefault(p, Set.of())) {
            if (!index.containsKey(q)) {
                connect(q, index, low, stack, onStack, found);
                low.put(p, Math.min(low.get(p), low.get(q)));
            } else if (onStack.contains(q)) {
                low.put(p, Math.min(low.get(p), index.get(q)));
            }
        }
        if (low.get(p).equals(index.get(p))) {
            List<String> group = new ArrayList<>();
            String q;
            do {
                q = stack.pop();
                onStack.remove(q);
                group.add(q);
            } while (!q.equals(p));
            if (group.size() > 1) {
                found.add(Set.copyOf(group));
            }
        }
    }
}
