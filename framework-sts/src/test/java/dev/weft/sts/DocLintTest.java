package dev.weft.sts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.testing.DocLint;
import org.junit.jupiter.api.Test;

/** The sts engine's javadoc is what the release's javadoc jar needs: doclint finds nothing in it. */
class DocLintTest {
    /**
     * doclint finds no broken link, bad HTML or misplaced comment in src/main/java. The module
     * exports no package, so it has no published API whose missing comments and tags to check.
     */
    @Test
    void mainSourcesPassDoclint() throws Exception {
        assertThat(DocLint.findings("--release", "25", "--enable-preview")).isEmpty();
    }
}
