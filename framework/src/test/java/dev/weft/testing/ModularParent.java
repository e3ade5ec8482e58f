package dev.weft.testing;

import dev.weft.Pool;
import dev.weft.ProcessPool;
import java.util.List;

/**
 * A parent JVM for the module-path test: run with {@code dev.weft} on the module path. Prints
 * whether Weft is a named module here and in the workers, and a map's results.
 */
public final class ModularParent {
    private ModularParent() {
    }

    public static void main(String[] args) throws Exception {
        try (ProcessPool pool = Pool.processes(c -> c.withWorkers(1))) {
            List<String> seen = pool.map(x -> Pool.class.getModule().getName() + "/" + (x * 2), List.of(1, 2, 3));
            System.out.println("PARENT " + Pool.class.getModule().getName() + " WORKERS " + String.join(",", seen));
        }
    }
}
