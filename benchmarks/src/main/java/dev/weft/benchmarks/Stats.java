package dev.weft.benchmarks;

import java.util.Arrays;

/**
 * Summary statistics of a handful of samples, computed the way JMH reports its own: the mean and
 * the half-width of its 99.9% confidence interval under Student's t distribution.
 */
final class Stats {
    private static final double[] T_999 = {636.62, 31.599, 12.924, 8.610, 6.869, 5.959, 5.408, 5.041,
            4.781, 4.587, 4.437, 4.318, 4.221, 4.140, 4.073, 4.015, 3.965, 3.922, 3.883, 3.850, 3.819,
            3.792, 3.768, 3.745, 3.725, 3.707, 3.690, 3.674, 3.659, 3.646};

    final int n;
    final double mean;
    /** Half-width of the 99.9% confidence interval of the mean; NaN for fewer than two samples. */
    final double error;
    final double median;
    /** The first and third quartiles (linear interpolation between the sorted samples). */
    final double q1;
    final double q3;
    final double min;
    final double max;

    private Stats(int n, double mean, double error, double median, double q1, double q3, double min, double max) {
        this.n = n;
        this.mean = mean;
        this.error = error;
        this.median = median;
        this.q1 = q1;
        this.q3 = q3;
        this.min = min;
        this.max = max;
    }

    static Stats of(double[] samples) {
        int n = samples.length;
        if (n == 0) {
            throw new IllegalArgumentException("no samples");
        }
        double[] sorted = samples.clone();
        Arrays.sort(sorted);
        double mean = Arrays.stream(samples).average().orElseThrow();
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        double error = Double.NaN;
        if (n > 1) {
            double ss = Arrays.stream(samples).map(x -> (x - mean) * (x - mean)).sum();
            error = studentT999(n - 1) * Math.sqrt(ss / (n - 1)) / Math.sqrt(n);
        }
        return new Stats(n, mean, error, median, quantile(sorted, 0.25), quantile(sorted, 0.75), sorted[0],
                sorted[n - 1]);
    }

    /** The {@code q} quantile of {@code sorted}, interpolated linearly between its neighbours. */
    private static double quantile(double[] sorted, double q) {
        double at = q * (sorted.length - 1);
        int below = (int) Math.floor(at);
        int above = Math.min(below + 1, sorted.length - 1);
        return sorted[below] + (at - below) * (sorted[above] - sorted[below]);
    }

    /** Two-sided 99.9% quantile of Student's t for {@code df} degrees of freedom. */
    private static double studentT999(int df) {
        return df <= T_999.length ? T_999[df - 1] : 3.291;
    }
}
