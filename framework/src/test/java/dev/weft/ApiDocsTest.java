package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What the API's sources promise a user of the jar: every public type of the exported packages says
 * since when it exists, each package states its null policy once, and no javadoc or message points at
 * a repository path ({@code docs/...}) that the jar does not ship.
 */
class ApiDocsTest {
    private static final Path SOURCES = Path.of("src", "main", "java");
    private static final Path CLASSES = Path.of("target", "classes");
    private static final List<String> EXPORTED = List.of("dev.weft", "dev.weft.spi");

    /** Every public type of dev.weft and dev.weft.spi, nested ones included, has an @since tag. */
    @Test
    void everyPublicTypeSaysSinceWhen() throws Exception {
        List<String> publicTypes = new ArrayList<>();
        List<String> withoutSince = new ArrayList<>();
        for (String pkg : EXPORTED) {
            for (Class<?> type : classesOf(pkg)) {
                if (!isPublicApi(type)) {
                    continue;
                }
                publicTypes.add(type.getName());
                if (!javadocOf(type).contains("@since")) {
                    withoutSince.add(type.getName());
                }
            }
        }
        assertThat(publicTypes).contains("dev.weft.Pool", "dev.weft.Pool$Worker", "dev.weft.spi.Engine");
        assertThat(withoutSince).isEmpty();
    }

    /** Each exported package's package-info says once what passing null does. */
    @Test
    void eachPackageStatesItsNullPolicy() throws IOException {
        for (String pkg : EXPORTED) {
            String info = Files.readString(SOURCES.resolve(pkg.replace('.', '/')).resolve("package-info.java"));
            assertThat(info).as(pkg).contains("<h2>Null policy</h2>").contains("NullPointerException");
        }
    }

    /** No javadoc and no string of the main sources names a path under docs/; line comments may. */
    @Test
    void nothingPointsAtARepositoryPath() throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i).strip();
                    if (line.contains("docs/") && !line.startsWith("//")) {
                        found.add(file + ":" + (i + 1) + ": " + line);
                    }
                }
            }
        }
        assertThat(found).isEmpty();
    }

    private static boolean isPublicApi(Class<?> type) {
        for (Class<?> t = type; t != null; t = t.getEnclosingClass()) {
            if (!Modifier.isPublic(t.getModifiers()) || t.isAnonymousClass() || t.isLocalClass()) {
                return false;
            }
        }
        return true;
    }

    private static List<Class<?>> classesOf(String pkg) throws Exception {
        List<Class<?>> classes = new ArrayList<>();
        try (Stream<Path> files = Files.list(CLASSES.resolve(pkg.replace('.', '/')))) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(".class") && !name.equals("package-info.class")) {
                    classes.add(Class.forName(pkg + "." + name.substring(0, name.length() - 6), false,
                            ApiDocsTest.class.getClassLoader()));
                }
            }
        }
        return classes;
    }

    /** The javadoc comment right before the declaration of {@code type} in its source file, or "". */
    private static String javadocOf(Class<?> type) throws IOException {
        Class<?> top = type;
        while (top.getEnclosingClass() != null) {
            top = top.getEnclosingClass();
        }
        String source = Files.readString(SOURCES.resolve(top.getName().replace('.', '/') + ".java"));
        Matcher declaration = Pattern.compile("(?m)^\\s*(?:(?:public|static|final|abstract|sealed|non-sealed)\\s+)*"
                + "(?:class|interface|enum|record|@interface)\\s+" + Pattern.quote(type.getSimpleName()) + "\\b")
                .matcher(source);
        if (!declaration.find()) {
            return "";
        }
        String before = source.substring(0, declaration.start()).replaceAll("(?m)^\\s*@\\w+(\\([^)]*\\))?\\s*$", "")
                .stripTrailing();
        return before.endsWith("*/") ? before.substring(before.lastIndexOf("/**")) : "";
    }
}
