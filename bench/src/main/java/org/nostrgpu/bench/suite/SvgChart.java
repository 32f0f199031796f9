package org.nostrgpu.bench.suite;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Inline SVG charts for the report, no script or library: a line chart (linear or log axes) and a horizontal
 * grouped bar chart. Every chart is an {@code <svg data-chart="ID">} and every series a
 * {@code <g data-series="NAME">} holding one mark per point with a {@code <title>} giving its value, so a reader
 * can hover for numbers and a test can find the series.
 */
final class SvgChart {
    static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
            "#17becf", "#7f7f7f", "#bcbd22"};
    private static final int WIDTH = 760;
    private static final int LEFT = 80;
    private static final int RIGHT = 180;
    private static final int TOP = 30;
    private static final int BOTTOM = 50;

    /** A named series of (x, y) points. */
    record Series(String name, List<double[]> points) {
    }

    /** A band on the x axis with a label (a scenario's time span on the GPU chart). */
    record Band(String label, double from, double to) {
    }

    private SvgChart() {
    }

    static String line(String id, String title, String xLabel, String yLabel, boolean logX, boolean logY,
                       List<Series> series, List<Band> bands) {
        int height = 340;
        double[] xs = range(series, 0, logX);
        double[] ys = range(series, 1, logY);
        if (!logY) {
            ys[0] = Math.min(0, ys[0]);
        }
        Axis x = new Axis(xs[0], xs[1], logX, LEFT, WIDTH - RIGHT);
        Axis y = new Axis(ys[0], ys[1], logY, height - BOTTOM, TOP);
        StringBuilder svg = open(id, title, height);
        for (int b = 0; b < bands.size(); b++) {
            Band band = bands.get(b);
            double from = x.at(Math.max(band.from(), xs[0]));
            double to = x.at(Math.min(band.to(), xs[1]));
            if (to > from) {
                svg.append(String.format(Locale.ROOT, "<g class=\"band\"><rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" "
                                + "height=\"%d\" fill=\"%s\" opacity=\"0.08\"/><text x=\"%.1f\" y=\"%d\" "
                                + "font-size=\"10\" fill=\"#555\">%s</text></g>", from, TOP, to - from,
                        height - BOTTOM - TOP, COLOURS[b % COLOURS.length], from + 2, TOP + 10 + 11 * (b % 3),
                        HtmlReport.escape(band.label())));
            }
        }
        axes(svg, x, y, xLabel, yLabel, height);
        for (int s = 0; s < series.size(); s++) {
            Series one = series.get(s);
            String colour = COLOURS[s % COLOURS.length];
            svg.append("<g data-series=\"").append(HtmlReport.escape(one.name())).append("\">");
            StringBuilder path = new StringBuilder();
            for (double[] point : one.points()) {
                if (!x.shows(point[0]) || !y.shows(point[1])) {
                    continue;
                }
                path.append(path.length() == 0 ? "M" : "L").append(String.format(Locale.ROOT, "%.1f,%.1f ",
                        x.at(point[0]), y.at(point[1])));
            }
            svg.append("<path d=\"").append(path).append("\" fill=\"none\" stroke=\"").append(colour)
                    .append("\" stroke-width=\"2\"/>");
            for (double[] point : one.points()) {
                if (!x.shows(point[0]) || !y.shows(point[1])) {
                    continue;
                }
                svg.append(String.format(Locale.ROOT, "<circle class=\"point\" cx=\"%.1f\" cy=\"%.1f\" r=\"%s\" "
                                + "fill=\"%s\"><title>%s: %s, %s</title></circle>", x.at(point[0]), y.at(point[1]),
                        one.points().size() > 60 ? "1.5" : "3.5", colour, HtmlReport.escape(one.name()),
                        number(point[0]), number(point[1])));
            }
            svg.append("</g>");
            legend(svg, s, one.name(), colour);
        }
        return svg.append("</svg>").toString();
    }

    /** One row per category, one bar per series in it; a missing value (NaN) draws no bar. */
    static String bars(String id, String title, String unit, List<String> categories, List<Series> series) {
        int barHeight = 12;
        int group = barHeight * series.size() + 10;
        int left = 170;
        int height = TOP + BOTTOM + Math.max(1, categories.size()) * group;
        double max = 0;
        for (Series one : series) {
            for (double[] point : one.points()) {
                if (!Double.isNaN(point[1])) {
                    max = Math.max(max, point[1]);
                }
            }
        }
        Axis x = new Axis(0, max <= 0 ? 1 : max * 1.05, false, left, WIDTH - RIGHT);
        StringBuilder svg = open(id, title, height);
        for (int c = 0; c < categories.size(); c++) {
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">%s"
                    + "</text>", left - 6, TOP + c * group + group / 2 + 3, HtmlReport.escape(categories.get(c))));
        }
        for (double tick : x.ticks()) {
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>"
                            + "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\">%s</text>",
                    x.at(tick), TOP, x.at(tick), height - BOTTOM, x.at(tick), height - BOTTOM + 14, number(tick)));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\">%s"
                + "</text>", (left + WIDTH - RIGHT) / 2, height - 12, HtmlReport.escape(unit)));
        for (int s = 0; s < series.size(); s++) {
            Series one = series.get(s);
            String colour = COLOURS[s % COLOURS.length];
            svg.append("<g data-series=\"").append(HtmlReport.escape(one.name())).append("\">");
            for (double[] point : one.points()) {
                int c = (int) point[0];
                if (Double.isNaN(point[1])) {
                    continue;
                }
                svg.append(String.format(Locale.ROOT, "<rect class=\"point\" x=\"%d\" y=\"%d\" width=\"%.1f\" "
                                + "height=\"%d\" fill=\"%s\"><title>%s, %s: %s %s</title></rect>", left,
                        TOP + c * group + 5 + s * barHeight, Math.max(0.5, x.at(point[1]) - left), barHeight - 2,
                        colour, HtmlReport.escape(categories.get(c)), HtmlReport.escape(one.name()),
                        number(point[1]), HtmlReport.escape(unit)));
            }
            svg.append("</g>");
            legend(svg, s, one.name(), colour);
        }
        return svg.append("</svg>").toString();
    }

    private static StringBuilder open(String id, String title, int height) {
        return new StringBuilder(String.format(Locale.ROOT, "<svg data-chart=\"%s\" xmlns=\"http://www.w3.org/2000/svg\""
                        + " width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\">"
                        + "<text x=\"%d\" y=\"18\" font-size=\"14\" font-weight=\"bold\">%s</text>",
                HtmlReport.escape(id), WIDTH, height, WIDTH, height, LEFT, HtmlReport.escape(title)));
    }

    private static void legend(StringBuilder svg, int index, String name, String colour) {
        int y = TOP + 8 + index * 18;
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                + "<text x=\"%d\" y=\"%d\" font-size=\"11\">%s</text>", WIDTH - RIGHT + 12, y - 10, colour,
                WIDTH - RIGHT + 30, y, HtmlReport.escape(name)));
    }

    private static void axes(StringBuilder svg, Axis x, Axis y, String xLabel, String yLabel, int height) {
        for (double tick : x.ticks()) {
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>"
                            + "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\">%s</text>",
                    x.at(tick), TOP, x.at(tick), height - BOTTOM, x.at(tick), height - BOTTOM + 14, number(tick)));
        }
        for (double tick : y.ticks()) {
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                            + "<text x=\"%d\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\">%s</text>",
                    LEFT, y.at(tick), WIDTH - RIGHT, y.at(tick), LEFT - 4, y.at(tick) + 3, number(tick)));
        }
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>"
                        + "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>", LEFT, height - BOTTOM,
                WIDTH - RIGHT, height - BOTTOM, LEFT, TOP, LEFT, height - BOTTOM));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\">%s"
                        + "</text><text transform=\"translate(16,%d) rotate(-90)\" font-size=\"12\" "
                        + "text-anchor=\"middle\">%s</text>", (LEFT + WIDTH - RIGHT) / 2, height - 12,
                HtmlReport.escape(xLabel), (TOP + height - BOTTOM) / 2, HtmlReport.escape(yLabel)));
    }

    /** Smallest and largest value of one coordinate over every series (positive ones only on a log axis). */
    private static double[] range(List<Series> series, int coordinate, boolean log) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Series one : series) {
            for (double[] point : one.points()) {
                double value = point[coordinate];
                if (Double.isNaN(value) || (log && value <= 0)) {
                    continue;
                }
                min = Math.min(min, value);
                max = Math.max(max, value);
            }
        }
        if (min > max) {
            return new double[] {log ? 1 : 0, log ? 10 : 1};
        }
        if (min == max) {
            return log ? new double[] {min / 2, max * 2} : new double[] {min - 1, max + 1};
        }
        return new double[] {min, max};
    }

    static String number(double value) {
        double magnitude = Math.abs(value);
        if (magnitude >= 1e6) {
            return String.format(Locale.ROOT, "%.3gM", value / 1e6);
        }
        if (magnitude >= 1e4) {
            return String.format(Locale.ROOT, "%.0fk", value / 1e3);
        }
        if (magnitude >= 100 || value == Math.rint(value)) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        return String.format(Locale.ROOT, "%.3g", value);
    }

    /** A linear or decimal-log mapping of [min, max] onto pixels [from, to]. */
    private record Axis(double min, double max, boolean log, double from, double to) {
        boolean shows(double value) {
            return !Double.isNaN(value) && (!log || value > 0);
        }

        double at(double value) {
            double a = log ? Math.log10(min) : min;
            double b = log ? Math.log10(max) : max;
            double v = log ? Math.log10(value) : value;
            return from + (v - a) / (b - a) * (to - from);
        }

        List<Double> ticks() {
            List<Double> ticks = new ArrayList<>();
            if (log) {
                for (double t = Math.pow(10, Math.floor(Math.log10(min))); t <= max * 1.0001; t *= 10) {
                    if (t >= min / 1.0001) {
                        ticks.add(t);
                    }
                }
                if (ticks.size() < 2) {
                    ticks.add(min);
                    ticks.add(max);
                }
                return ticks;
            }
            double step = Math.pow(10, Math.floor(Math.log10((max - min) / 5)));
            for (double multiple : new double[] {1, 2, 5, 10}) {
                if ((max - min) / (step * multiple) <= 6) {
                    step *= multiple;
                    break;
                }
            }
            for (double t = Math.ceil(min / step) * step; t <= max + step * 1e-9; t += step) {
                ticks.add(t);
            }
            return ticks;
        }
    }
}
