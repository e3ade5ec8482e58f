package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.testing.DocLint;
import org.junit.jupiter.api.Test;

/** The library's javadoc is what the release's javadoc jar needs: doclint finds nothing in it. */
class DocLintTest {
    /**
     * doclint finds nothing in src/main/java: no broken link, bad HTML or misplaced comment in any
     * source, and no missing comment or tag in the published API (the exported packages).
     */
    @Test
    void mainSourcesPassDoclint() throws Exception {
        assertThat(DocLint.findings("--release", "21")).isEmpty();
    }
}
