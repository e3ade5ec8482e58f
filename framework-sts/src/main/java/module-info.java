/**
 * Weft's opt-in scope engine on the JDK's {@code StructuredTaskScope} (JDK 25, preview): the same
 * {@code dev.weft.TaskScope}, with subtasks that inherit the owner's {@code ScopedValue} bindings
 * and a scope tree in thread dumps. It exports nothing: the core finds it as a service, on JDK 25
 * with {@code --enable-preview} only. See the guide's page "The sts engine".
 */
module dev.weft.sts {
    requires dev.weft;
    requires java.management;   // RuntimeMXBean: was the JVM started with --enable-preview?

    provides dev.weft.spi.EngineProvider with dev.weft.sts.StsEngineProvider;
}
