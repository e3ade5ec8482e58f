package dev.weft.sts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The preview class file is never loaded where it would fail: a JVM without
 * {@code --enable-preview}, with this module on its class path, loads the provider (a plain class
 * file), learns from it that the engine cannot run, and never loads {@link StsEngine}; its scopes run
 * on the core engine. Each case runs {@link EngineProbe} in a child JVM with class loading logged.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ProviderLoadingTest {

    /** What the probe printed, the classes it loaded, and whether any class failed to load for its version. */
    private record Run(String out, List<String> loaded, boolean versionError) {
    }

    private static Run probe(String... jvmArgs) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xlog:class+load=info,exceptions=info");
        command.add("-Dslf4j.provider=dev.weft.testing.TestLoggingProvider");
        command.addAll(List.of(jvmArgs));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), EngineProbe.class.getName()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the probe ends").isTrue();
        assertThat(process.exitValue()).as("exit status; output:%n%s", output).isZero();
        List<String> loaded = output.lines().filter(l -> l.contains("[class,load]"))
                .map(l -> l.replaceFirst(".*\\[class,load\\] (\\S+).*", "$1")).toList();
        String out = String.join("\n", output.lines().filter(l -> !l.contains("[class,load]")
                && !l.contains("[exceptions]")).toList());
        return new Run(out, loaded, output.contains("UnsupportedClassVersionError"));
    }

    /** Without --enable-preview: the provider loads and says no, the engine class never loads, scopes run on core. */
    @Test
    void withoutPreviewTheEngineClassIsNeverLoaded() throws Exception {
        Run run = probe();
        assertThat(run.out()).contains("engine=core scope=ok");
        assertThat(run.loaded()).contains(StsEngineProvider.class.getName())
                .doesNotContain(StsEngine.class.getName(), DispatchedContainer.class.getName());
        assertThat(run.versionError()).as("a class failed to load for its class file version").isFalse();
    }

    /** Without --enable-preview, -Ddev.weft.engine=sts is an error that names the missing flag, not a crash. */
    @Test
    void demandingStsWithoutPreviewSaysWhy() throws Exception {
        Run run = probe("-Ddev.weft.engine=sts");
        assertThat(run.out()).contains("error=").contains("--enable-preview");
        assertThat(run.loaded()).doesNotContain(StsEngine.class.getName());
        assertThat(run.versionError()).isFalse();
    }

    /** The control: with --enable-preview the same class path selects sts and loads the engine. */
    @Test
    void withPreviewTheStsEngineRuns() throws Exception {
        Run run = probe("--enable-preview");
        assertThat(run.out()).contains("engine=sts scope=ok");
        assertThat(run.loaded()).contains(StsEngine.class.getName());
    }

    /** -Ddev.weft.engine=core wins even with --enable-preview. */
    @Test
    void corePropertyWinsOverPreview() throws Exception {
        Run run = probe("--enable-preview", "-Ddev.weft.engine=core");
        assertThat(run.out()).contains("engine=core scope=ok");
        assertThat(run.loaded()).doesNotContain(StsEngine.class.getName());
    }
}
