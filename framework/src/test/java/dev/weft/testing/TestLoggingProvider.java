package dev.weft.testing;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.simple.SimpleLoggerFactory;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The tests' SLF4J back end: slf4j-simple's loggers with a working MDC. slf4j-simple alone has a
 * no-op MDC, on which a test of MDC propagation would pass whatever Weft did. The loggers are
 * {@link TestLogger}s, which leave out the failures tests provoke on purpose. Surefire selects
 * this provider with the {@code slf4j.provider} system property (framework/pom.xml).
 */
public final class TestLoggingProvider implements SLF4JServiceProvider {
    private ILoggerFactory loggerFactory;
    private IMarkerFactory markerFactory;
    private MDCAdapter mdcAdapter;

    @Override
    public ILoggerFactory getLoggerFactory() {
        return loggerFactory;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markerFactory;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdcAdapter;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
        loggerFactory = new SimpleLoggerFactory() {
            @Override
            protected Logger createLogger(String name) {
                return new TestLogger(name);
            }
        };
        markerFactory = new BasicMarkerFactory();
        mdcAdapter = new BasicMDCAdapter();
    }
}
