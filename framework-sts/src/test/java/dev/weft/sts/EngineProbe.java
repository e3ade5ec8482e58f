package dev.weft.sts;

import dev.weft.TaskScope;

/** Run in a child JVM by {@link ProviderLoadingTest}: prints which engine runs, or why the one demanded cannot. */
public final class EngineProbe {
    private EngineProbe() {
    }

    public static void main(String[] args) throws Exception {
        try {
            String engine = TaskScope.engine();
            try (var scope = TaskScope.<String>open()) {
                scope.fork(() -> "ok");
                System.out.println("engine=" + engine + " scope=" + scope.join().getFirst());
            }
        } catch (IllegalStateException e) {
            System.out.println("error=" + e.getMessage());
        }
    }
}
