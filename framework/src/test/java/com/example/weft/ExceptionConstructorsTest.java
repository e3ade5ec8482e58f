package com.example.weft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.BrokenPoolException;
import dev.weft.BrokenProcessPoolException;
import dev.weft.FailedException;
import dev.weft.MemberLostException;
import dev.weft.RemoteTaskException;
import dev.weft.StructureViolationException;
import dev.weft.UncheckedInterruptedException;
import dev.weft.UncheckedTimeoutException;
import org.junit.jupiter.api.Test;

/** Which of Weft's exceptions an application may create, seen from a package of its own. */
class ExceptionConstructorsTest {

    /** A pool's or a scope's own failures are Weft's to create: an application catches them. */
    @Test
    void failuresOfWeftsOwnHaveNoPublicConstructor() {
        assertThat(BrokenPoolException.class.getConstructors()).isEmpty();
        assertThat(BrokenProcessPoolException.class.getConstructors()).isEmpty();
        assertThat(StructureViolationException.class.getConstructors()).isEmpty();
        assertThat(MemberLostException.class.getConstructors()).isEmpty();
        assertThat(RemoteTaskException.class.getConstructors()).isEmpty();
    }

    /** The exceptions a task or a join policy throws itself stay creatable. */
    @Test
    void exceptionsThatTasksAndPoliciesThrowCanBeCreated() {
        assertThat(FailedException.class.getConstructors()).isNotEmpty();
        assertThat(UncheckedInterruptedException.class.getConstructors()).isNotEmpty();
        assertThat(UncheckedTimeoutException.class.getConstructors()).isNotEmpty();
    }
}
