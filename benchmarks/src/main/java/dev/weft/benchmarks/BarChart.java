package dev.weft.benchmarks;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A grouped bar chart written as SVG text, for {@link Plots}: groups along x, one bar per series
 * in each group, optional whiskers (an error bar or a range, as the data gives it), a dashed
 * target per group, dashed reference lines across the plot, a linear or a log-10 y axis, and on
 * every chart a title, axis labels and the source file names. Bars of the same series share a
 * colour and the legend names them. Not thread-safe: build one, then call {@link #svg()}.
 */
final class BarChart {
    /** One bar; {@code low} and {@code high} are the whisker's ends, NaN for none. */
    record Bar(String series, double value, double low, double high) {
        static Bar of(String series, double value) {
            return new Bar(series, value, Double.NaN, Double.NaN);
        }

        static Bar plusMinus(String series, double value, double error) {
            return new Bar(series, value, value - error, value + error);
        }
    }

    /** A group of bars under one label, a note under the label, and a target line (NaN for none). */
    record Group(String label, String note, double target, List<Bar> bars) {
    }

    private record Line(double y, String label) {
    }

    private static final String[] COLOURS = {"#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#76b7b2"};
    private static final int WIDTH = 960;
    private static final int HEIGHT = 460;
    private static final int LEFT = 80;
    private static final int RIGHT = 20;
    private static final int TOP = 84;
    private static final int BOTTOM = 124;

    private final String title;
    private final String subtitle;
    private final String xLabel;
    private final String yLabel;
    private final List<String> sources;
    private final boolean log;
    private final List<Group> groups = new ArrayList<>();
    private final List<Line> lines = new ArrayList<>();

    BarChart(String title, String subtitle, String xLabel, String yLabel, boolean log, List<String> sources) {
        this.title = title;
        this.subtitle = subtitle;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        this.log = log;
        this.sources = sources;
    }

    BarChart group(String label, String note, double target, Bar... bars) {
        groups.add(new Group(label, note, target, List.of(bars)));
        return this;
    }

    /** The source file names printed under the plot; add to it to name another. */
    List<String> sources() {
        return sources;
    }

    boolean isEmpty() {
        return groups.isEmpty();
    }

    /** A dashed line across the whole plot at {@code y}, labelled at its right end. */
    BarChart line(double y, String label) {
        lines.add(new Line(y, label));
        return this;
    }

    String svg() {
        double[] range = range();
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
        out.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, HEIGHT));
        text(out, WIDTH / 2.0, 24, "middle", "font-size=\"16\" font-weight=\"bold\"", title);
        text(out, WIDTH / 2.0, 43, "middle", "fill=\"#555\"", subtitle);
        legend(out);
        axes(out, range);
        int plotWidth = WIDTH - LEFT - RIGHT;
        double groupWidth = (double) plotWidth / groups.size();
        List<String> series = series();
        for (int g = 0; g < groups.size(); g++) {
            Group group = groups.get(g);
            double x0 = LEFT + g * groupWidth;
            double barWidth = groupWidth * 0.7 / group.bars().size();
            for (int b = 0; b < group.bars().size(); b++) {
                Bar bar = group.bars().get(b);
                double x = x0 + groupWidth * 0.15 + b * barWidth;
                double top = y(bar.value(), range);
                out.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>%n",
                        x + 2, top, barWidth - 4, y(range[0], range) - top, COLOURS[series.indexOf(bar.series()) % COLOURS.length]));
                double mid = x + barWidth / 2;
                double labelY = top;
                if (!Double.isNaN(bar.low())) {
                    double lo = y(bar.low(), range);
                    double hi = y(bar.high(), range);
                    out.append(String.format(Locale.ROOT, "<path d=\"M%.1f %.1fV%.1fM%.1f %.1fh10M%.1f %.1fh10\" "
                            + "stroke=\"black\" stroke-width=\"1.2\" fill=\"none\"/>%n", mid, lo, hi, mid - 5, lo, mid - 5, hi));
                    labelY = Math.min(top, hi);
                }
                text(out, mid, labelY - 4, "middle", "font-size=\"11\"", compact(bar.value()));
            }
            if (!Double.isNaN(group.target())) {
                double ty = y(group.target(), range);
                out.append(String.format(Locale.ROOT, "<path d=\"M%.1f %.1fh%.1f\" stroke=\"#c0392b\" stroke-width=\"1.5\" "
                        + "stroke-dasharray=\"6 3\"/>%n", x0 + 4, ty, groupWidth - 8));
                text(out, x0 + groupWidth - 6, ty - 4, "end", "font-size=\"10\" fill=\"#c0392b\"",
                        "target " + compact(group.target()));
            }
            int bottom = HEIGHT - BOTTOM;
            text(out, x0 + groupWidth / 2, bottom + 18, "middle", "", group.label());
            text(out, x0 + groupWidth / 2, bottom + 20 + 13 * group.label().split("\n").length, "middle", "font-size=\"10\" fill=\"#555\"", group.note());
        }
        for (Line line : lines) {
            double ly = y(line.y(), range);
            out.append(String.format(Locale.ROOT, "<path d=\"M%d %.1fH%d\" stroke=\"#777\" stroke-dasharray=\"3 3\"/>%n",
                    LEFT, ly, WIDTH - RIGHT));
            text(out, WIDTH - RIGHT - 4, ly - 4, "end", "font-size=\"10\" fill=\"#555\"", line.label());
        }
        text(out, LEFT + plotWidth / 2.0, HEIGHT - 40, "middle", "font-weight=\"bold\"", xLabel);
        text(out, 8, HEIGHT - 22, "start", "font-size=\"10\" fill=\"#555\"", "source: " + sourceLines());
        return out.append("</svg>\n").toString();
    }

    private void legend(StringBuilder out) {
        List<String> series = series();
        double x = LEFT;
        for (int i = 0; i < series.size(); i++) {
            out.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"54\" width=\"12\" height=\"12\" fill=\"%s\"/>%n",
                    x, COLOURS[i % COLOURS.length]));
            text(out, x + 16, 65, "start", "", series.get(i));
            x += 16 + 7 * series.get(i).length() + 24;
        }
    }

    private void axes(StringBuilder out, double[] range) {
        int bottom = HEIGHT - BOTTOM;
        for (double tick : ticks(range)) {
            double ty = y(tick, range);
            out.append(String.format(Locale.ROOT, "<path d=\"M%d %.1fH%d\" stroke=\"#e5e5e5\"/>%n", LEFT, ty, WIDTH - RIGHT));
            text(out, LEFT - 6, ty + 4, "end", "", compact(tick));
        }
        out.append(String.format(Locale.ROOT, "<path d=\"M%d %dV%dH%d\" stroke=\"black\" fill=\"none\"/>%n",
                LEFT, TOP, bottom, WIDTH - RIGHT));
        double mid = (TOP + bottom) / 2.0;
        out.append(String.format(Locale.ROOT, "<text x=\"18\" y=\"%.1f\" text-anchor=\"middle\" font-weight=\"bold\" "
                + "transform=\"rotate(-90 18 %.1f)\">%s</text>%n", mid, mid, escape(yLabel)));
    }

    /** The series in order of first appearance: the legend's order and the colours'. */
    private List<String> series() {
        Set<String> names = new LinkedHashSet<>();
        groups.forEach(g -> g.bars().forEach(b -> names.add(b.series())));
        return List.copyOf(names);
    }

    /** The y axis's {min, max}: from 0 (linear) or the decade below the smallest value (log). */
    private double[] range() {
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (Group g : groups) {
            max = maxOf(max, g.target());
            for (Bar b : g.bars()) {
                for (double v : new double[] {b.value(), b.low(), b.high()}) {
                    max = maxOf(max, v);
                    if (v > 0) {
                        min = Math.min(min, v);
                    }
                }
            }
        }
        for (Line l : lines) {
            max = maxOf(max, l.y());
            min = Math.min(min, l.y());
        }
        if (log) {
            return new double[] {Math.pow(10, Math.floor(Math.log10(min))), Math.pow(10, Math.ceil(Math.log10(max * 1.5)))};
        }
        return new double[] {0, max * 1.12};
    }

    private static double maxOf(double max, double v) {
        return Double.isNaN(v) ? max : Math.max(max, v);
    }

    private List<Double> ticks(double[] range) {
        List<Double> ticks = new ArrayList<>();
        if (log) {
            boolean fine = Math.log10(range[1] / range[0]) <= 3;
            for (double decade = range[0]; decade <= range[1] * 1.0001; decade *= 10) {
                ticks.add(decade);
                if (fine && decade * 2 < range[1]) {
                    ticks.add(decade * 2);
                    ticks.add(decade * 5);
                }
            }
            return ticks;
        }
        double raw = range[1] / 6;
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = magnitude;
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * magnitude >= raw) {
                step = m * magnitude;
                break;
            }
        }
        for (int i = 0; i * step <= range[1]; i++) {
            ticks.add(i * step);
        }
        return ticks;
    }

    /** Pixel y of value {@code v}, clipped to the plot. */
    private double y(double v, double[] range) {
        int bottom = HEIGHT - BOTTOM;
        double f = log ? (Math.log10(Math.max(v, range[0])) - Math.log10(range[0])) / Math.log10(range[1] / range[0])
                : (Math.max(v, range[0]) - range[0]) / (range[1] - range[0]);
        return bottom - Math.min(f, 1) * (bottom - TOP);
    }

    /** Three significant figures, with k and M for thousands and millions: 1.31, 87k, 2.1M. */
    static String compact(double v) {
        if (Math.abs(v) >= 1e6) {
            return compact(v / 1e6) + "M";
        }
        if (Math.abs(v) >= 1e4) {
            return compact(v / 1e3) + "k";
        }
        if (v == 0) {
            return "0";
        }
        return new BigDecimal(v).round(new MathContext(3)).stripTrailingZeros().toPlainString();
    }

    /** The source names, a line break after every three. */
    private String sourceLines() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < sources.size(); i++) {
            text.append(i == 0 ? "" : i % 3 == 0 ? ",\n" : ", ").append(sources.get(i));
        }
        return text.toString();
    }

    /** A text, one line per {@code \n}, each 13 px below the one before. */
    private static void text(StringBuilder out, double x, double y, String anchor, String attributes, String text) {
        out.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" %s>", x, y, anchor, attributes));
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            out.append(i == 0 ? escape(lines[i])
                    : String.format(Locale.ROOT, "<tspan x=\"%.1f\" dy=\"13\">%s</tspan>", x, escape(lines[i])));
        }
        out.append("</text>\n");
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
