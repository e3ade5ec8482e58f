package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.spi.Engine;
import dev.weft.spi.EngineProvider;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * How {@link Engines} chooses the engine from the system property, the JDK release and the providers
 * found: a provider is never even looked up below JDK 25, never asked for its engine when it says it
 * cannot run, and a demanded engine that cannot run is an error, never a silent fall-back.
 */
class EngineSelectionTest {

    /** A provider double that counts how often the core asked it for its engine. */
    private static final class FakeProvider implements EngineProvider {
        private final String reason;
        final AtomicInteger engineCalls = new AtomicInteger();
        final Engine engine = new Engine() {
            @Override
            public String name() {
                return "sts";
            }

            @Override
            public Container open(String scopeName, boolean startsFromAnyThread) {
                return Engines.CORE.open(scopeName, startsFromAnyThread);
            }
        };

        FakeProvider(String reason) {
            this.reason = reason;
        }

        @Override
        public String name() {
            return "sts";
        }

        @Override
        public String unavailableReason() {
            return reason;
        }

        @Override
        public Engine engine() {
            engineCalls.incrementAndGet();
            return engine;
        }
    }

    private static Supplier<Iterator<EngineProvider>> only(EngineProvider... providers) {
        return () -> List.of(providers).iterator();
    }

    /** Without the property, on JDK 25, a provider that can run is chosen. */
    @Test
    void automaticSelectionTakesAnAvailableProvider() {
        FakeProvider sts = new FakeProvider(null);
        assertThat(Engines.select(null, 25, only(sts)).engineOrThrow()).isSameAs(sts.engine);
    }

    /** Below JDK 25 no provider is even looked up: the lookup itself would load class files built for 25. */
    @Test
    void belowJdk25ProvidersAreNeverLookedUp() {
        Supplier<Iterator<EngineProvider>> mustNotRun = () -> {
            throw new AssertionError("providers looked up on JDK 21");
        };
        assertThat(Engines.select(null, 21, mustNotRun).engineOrThrow()).isSameAs(Engines.CORE);
        assertThatThrownBy(() -> Engines.select("sts", 24, mustNotRun).engineOrThrow())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("JDK 24");
    }

    /** A provider that says it cannot run (no --enable-preview) is never asked for its engine; auto falls back to core. */
    @Test
    void unavailableProviderIsNotAskedForItsEngine() {
        FakeProvider sts = new FakeProvider("needs --enable-preview");
        assertThat(Engines.select("auto", 25, only(sts)).engineOrThrow()).isSameAs(Engines.CORE);
        assertThat(sts.engineCalls).hasValue(0);
    }

    /** -Ddev.weft.engine=sts where it cannot run is an error that says why, not a silent fall-back to core. */
    @Test
    void demandedEngineThatCannotRunIsAnError() {
        FakeProvider sts = new FakeProvider("needs --enable-preview");
        assertThatThrownBy(() -> Engines.select("sts", 25, only(sts)).engineOrThrow())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("needs --enable-preview").hasMessageContaining("section 'Threads, names and context'")
                .hasMessageNotContaining("docs/");
        assertThatThrownBy(() -> Engines.select("sts", 25, only()).engineOrThrow())
                .hasMessageContaining("no engine named 'sts'");
        assertThatThrownBy(() -> Engines.select("fibers", 25, only(sts)).engineOrThrow())
                .hasMessageContaining("no engine named 'fibers'");
    }

    /** -Ddev.weft.engine=core wins over an available provider, which is then not even looked up. */
    @Test
    void coreWinsWhenAskedFor() {
        Supplier<Iterator<EngineProvider>> mustNotRun = () -> {
            throw new AssertionError("providers looked up despite core");
        };
        assertThat(Engines.select("core", 25, mustNotRun).engineOrThrow()).isSameAs(Engines.CORE);
    }

    /** A provider that fails to load is skipped; the next one is still found. */
    @Test
    void brokenProviderIsSkipped() {
        FakeProvider sts = new FakeProvider(null);
        Iterator<EngineProvider> broken = new Iterator<>() {
            private int calls;

            @Override
            public boolean hasNext() {
                return calls < 2;
            }

            @Override
            public EngineProvider next() {
                if (calls++ == 0) {
                    throw new ServiceConfigurationError("class file version 70");
                }
                return sts;
            }
        };
        assertThat(Engines.select(null, 25, () -> broken).engineOrThrow()).isSameAs(sts.engine);
    }

    /** Without an engine module on the path, this JVM's scopes run on the core engine. */
    @Test
    void thisJvmRunsTheCoreEngine() {
        assertThat(TaskScope.engine()).isEqualTo("core");
    }
}
