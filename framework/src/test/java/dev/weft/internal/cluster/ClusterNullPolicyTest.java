package dev.weft.internal.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.testing.NullArguments;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The null policy that package-info states for the cluster's task runner: every public method throws
 * {@link NullPointerException} for a null argument, except those whose javadoc says null means
 * something.
 */
class ClusterNullPolicyTest {

    /** The parameters that accept null on purpose ({@code DeclaringType.method#index}); each says so. */
    private static final Set<String> MAY_BE_NULL = Set.of(
            "ClusterTasks.call#5",          // no initializer
            "ClusterTasks.call#8",          // no class loader: the JDK's rule alone
            "ClusterTasks.callAll#5",       // the same, for a batch
            "ClusterTasks.callAll#8");

    /** ClusterTasks refuses null where it does not say otherwise. */
    @Test
    void theClassesRefuseNullUnlessTheySayOtherwise() throws Exception {
        NullArguments nulls = new NullArguments(MAY_BE_NULL);
        nulls.check(ClusterTasks.class, null);
        assertThat(nulls.checked).as("calls made").hasSizeGreaterThan(3);
        assertThat(nulls.accepted).as("methods that accept null without saying so").isEmpty();
    }
}
