package dev.weft.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Keeps what a test's worker JVMs print on purpose (a bad flag's error, an initializer's stack
 * trace) off the build's output: {@code System.out} and {@code System.err} are captured for each
 * test and shown only if the test fails, so that a green run looks green.
 */
public final class QuietOutput implements BeforeEachCallback, AfterEachCallback, TestWatcher {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(QuietOutput.class);

    private record Captured(PrintStream out, PrintStream err, ByteArrayOutputStream bytes) {
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(bytes, true, Charset.defaultCharset());
        context.getStore(NAMESPACE).put(context.getUniqueId(), new Captured(System.out, System.err, bytes));
        System.setOut(capture);
        System.setErr(capture);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Captured captured = context.getStore(NAMESPACE).get(context.getUniqueId(), Captured.class);
        System.setOut(captured.out());
        System.setErr(captured.err());
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        Captured captured = context.getStore(NAMESPACE).get(context.getUniqueId(), Captured.class);
        if (captured != null && captured.bytes().size() > 0) {
            captured.err().println("---- what " + context.getDisplayName() + " printed ----");
            captured.err().print(captured.bytes().toString(Charset.defaultCharset()));
            captured.err().println("---- end of what it printed ----");
        }
    }

    @Override
    public void testAborted(ExtensionContext context, Throwable cause) {
        testFailed(context, cause);
    }

    @Override
    public void testDisabled(ExtensionContext context, Optional<String> reason) {
    }
}
