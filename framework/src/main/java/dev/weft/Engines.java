package dev.weft;

import dev.weft.spi.Engine;
import dev.weft.spi.EngineProvider;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;

/**
 * Chooses, once per JVM, the engine that runs every scope's subtask threads: the core's own, or an
 * optional one found through {@link EngineProvider} (the {@code sts} engine of module
 * {@code dev.weft.sts}, on the JDK's {@code StructuredTaskScope}).
 *
 * <h2>Selection</h2>
 * The system property {@value #PROPERTY} decides: {@code core} forces the core engine; a provider's
 * name ({@code sts}) demands that engine, and every scope's {@code open} then throws
 * {@link IllegalStateException} saying why if it cannot run here; unset (or {@code auto}) takes the
 * first provider that can run and else the core engine. Providers are looked up only on feature
 * release {@value #FIRST_RELEASE_WITH_ENGINES} or newer, so on JDK 21 to 24 no class of an engine
 * module is ever loaded; each provider then checks the exact release and the preview flag itself
 * before the core asks for its engine (see {@link EngineProvider}). A provider that fails to load
 * anyway is skipped, with the reason kept for the message.
 *
 * <p>The choice is made on first use, by whichever thread opens the first scope, and never changes.
 */
final class Engines {
    static final String PROPERTY = "dev.weft.engine";
    static final int FIRST_RELEASE_WITH_ENGINES = 25;

    private Engines() {
    }

    /** The core engine: subtask threads started with {@link Thread#start()}, in no container of their own. */
    static final Engine CORE = new Engine() {
        private final Container threads = new Container() {
            @Override
            public Thread newThread(ThreadFactory factory, Runnable body) {
                return factory.newThread(body);
            }

            @Override
            public void start(Thread thread, Consumer<Throwable> failed) {
                thread.start();
            }

            @Override
            public void close() {
            }
        };

        @Override
        public String name() {
            return "core";
        }

        @Override
        public Container open(String scopeName, boolean startsFromAnyThread) {
            return threads;
        }
    };

    /** The outcome of selection: an engine, or the reason the one demanded cannot run. */
    record Selection(Engine engine, String error) {
        Engine engineOrThrow() {
            if (error != null) {
                throw new IllegalStateException(error);
            }
            return engine;
        }
    }

    private static final class Holder {
        static final Selection SELECTED = select(System.getProperty(PROPERTY), Runtime.version().feature(),
                () -> ServiceLoader.load(EngineProvider.class, Engines.class.getClassLoader()).iterator());
    }

    /** The engine of this JVM; throws {@link IllegalStateException} if the one demanded cannot run. */
    static Engine selected() {
        return Holder.SELECTED.engineOrThrow();
    }

    /** Selection as a function of its inputs, for tests. */
    static Selection select(String wanted, int feature, java.util.function.Supplier<Iterator<EngineProvider>> providers) {
        String want = wanted == null || wanted.isBlank() ? "auto" : wanted.trim();
        if (want.equals("core")) {
            return chosen(CORE, "-D" + PROPERTY + "=core");
        }
        boolean auto = want.equals("auto");
        List<String> reasons = new ArrayList<>();
        if (feature < FIRST_RELEASE_WITH_ENGINES) {
            reasons.add("no engine but the core one runs on JDK " + feature);
        } else {
            Iterator<EngineProvider> it = providers.get();
            while (true) {
                EngineProvider provider;
                try {
                    if (!it.hasNext()) {
                        break;
                    }
                    provider = it.next();
                } catch (ServiceConfigurationError e) {
                    reasons.add("a provider failed to load: " + e.getMessage());
                    continue;
                }
                if (!auto && !provider.name().equals(want)) {
                    continue;
                }
                String reason = provider.unavailableReason();
                if (reason == null) {
                    try {
                        return chosen(provider.engine(), auto ? "found on the path" : "-D" + PROPERTY + "=" + want);
                    } catch (LinkageError | RuntimeException e) {
                        reason = "its engine failed to load: " + e;
                    }
                }
                reasons.add("engine '" + provider.name() + "': " + reason);
            }
            if (reasons.isEmpty()) {
                reasons.add(auto ? "no engine module is on the class or module path"
                        : "no engine named '" + want + "' is on the class or module path");
            }
        }
        if (auto) {
            Logs.engines().debug("Weft scopes run on the core engine ({})", String.join("; ", reasons));
            return new Selection(CORE, null);
        }
        return new Selection(null, "-D" + PROPERTY + "=" + want + " asks for an engine that cannot run here: "
                + String.join("; ", reasons) + ". Use -D" + PROPERTY + "=core, or see Weft's guide, section 'Threads, names and context', and "
                + "its page 'The sts engine'");
    }

    private static Selection chosen(Engine engine, String why) {
        Logs.engines().debug("Weft scopes run on the {} engine ({})", engine.name(), why);
        return new Selection(engine, null);
    }
}
