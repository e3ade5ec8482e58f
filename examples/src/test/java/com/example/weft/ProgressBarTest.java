package com.example.weft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Smoke test: the progress bars of both maps, as plain lines when the output is not a terminal
 * (as here), and as one redrawn line when it is.
 */
@Timeout(120)
class ProgressBarTest {
    private static final Pattern PRIMES_LINE = Pattern.compile("(?m)^   primes: (\\d+)/60 \\((\\d+)%\\), [\\d.]+ items/s, [\\d.]+ s$");

    /**
     * Not a terminal: no carriage return; the list's bar prints at most a line per tenth, in
     * order and below 100%, then one final line; the lazy input's final line has its total and its
     * failures (items 24 and 49 of 60).
     */
    @Test
    void plainLinesWhenTheOutputIsNotATerminal() throws Exception {
        CapturedOutput captured = new CapturedOutput();
        ProgressBar.Run run = ProgressBar.run(captured.out, false, 60);
        String out = captured.text();

        assertThat(out).doesNotContain("\r");
        List<Integer> percents = new ArrayList<>();
        Matcher m = PRIMES_LINE.matcher(out);
        while (m.find()) {
            percents.add(Integer.parseInt(m.group(2)));
        }
        assertThat(percents).hasSizeLessThanOrEqualTo(9).isSorted().doesNotHaveDuplicates().allMatch(p -> p >= 10 && p < 100);
        assertThat(out).containsPattern("(?m)^   primes: 60/60 \\(100%\\) done in [\\d.]+ s, [\\d.]+ items/s$")
                .containsPattern("(?m)^   pages: 60/60 \\(100%\\) done in [\\d.]+ s, [\\d.]+ items/s, 2 failed$")
                .contains("60 counts; below 25900: " + ProgressBar.countPrimes(25_900) + " primes")
                .contains("2 pages failed");
        assertThat(out.indexOf("primes: 60/60")).isLessThan(out.indexOf("60 counts"));   // the final line before map returned
        assertThat(run.primes().isFinished()).isTrue();
        assertThat(run.primes().done()).isEqualTo(60);
        assertThat(run.pages().total()).hasValue(60);
        assertThat(run.pages().failed()).isEqualTo(2);
    }

    /** A terminal: each bar is one line redrawn with carriage returns, ended by one newline when it finishes. */
    @Test
    void oneRedrawnLineOnATerminal() throws Exception {
        CapturedOutput captured = new CapturedOutput();
        ProgressBar.run(captured.out, true, 30);
        String out = captured.text();

        assertThat(out).contains("\r   primes [" + ".".repeat(30) + "] 0/30 (0%)")
                .containsPattern("\r   primes \\[#{30}\\] 30/30 \\(100%\\)  [\\d.]+ items/s *\n")
                .containsPattern("\r   pages 0/\\?")
                .containsPattern("\r   pages \\[#{30}\\] 30/30 \\(100%\\)  [\\d.]+ items/s, 1 failed *\n");
        String primesBar = out.substring(out.indexOf("\r   primes"), out.indexOf(" counts;"));
        assertThat(primesBar.chars().filter(c -> c == '\n').count()).as("newlines in the primes' bar").isEqualTo(1);
    }
}
