package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.testing.DocLint;
import org.junit.jupiter.api.Test;

/** The library's javadoc is what the release's javadoc jar needs: doclint finds nothing in it. */
class DocLintTest {
    /** doclint (every group but missing) finds no broken link, bad HTML or misplaced comment in src/main/java. */
    @Test
    void mainSourcesPassDoclint() throws Exception {
        assertThat(DocLint.findings("--release", "21")).isEmpty();
    }
}
