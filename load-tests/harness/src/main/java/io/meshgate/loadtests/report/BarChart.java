package io.meshgate.loadtests.report;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.function.DoubleFunction;

/**
 * Horizontal bars, one group per category (a target, a table size) and one bar per series in each group, with the
 * value at the end of every bar: what a reader compares first (requests/s, latency) at a glance.
 */
public final class BarChart {

    private static final double LEFT = 150;
    private static final double RIGHT = Svg.WIDTH - 80;
    private static final double BAR = 14;

    /** One bar per category; NaN for none. */
    public record Series(String name, List<Double> values) {

        public Series {
            requireNonNull(name, "name");
            values = List.copyOf(values);
        }
    }

    private BarChart() {
    }

    public static String render(String title, String unit, List<String> categories, List<Series> series) {
        return render(title, unit, categories, series, Numbers::count);
    }

    public static String render(String title, String unit, List<String> categories, List<Series> series,
            DoubleFunction<String> label) {
        double max = 0;
        for (Series s : series) {
            for (double v : s.values()) {
                max = Numbers.max(max, v);
            }
        }
        double step = Svg.step(max);
        double top = Math.max(step, Math.ceil(max / step) * step);
        double group = series.size() * (BAR + 2) + 12;
        double plotTop = series.size() > 1 ? 56 : 40;
        double plotBottom = plotTop + group * categories.size();
        Svg svg = new Svg((int) plotBottom + 44).title(title);
        if (series.size() > 1) {
            svg.legend(series.stream().map(Series::name).toList());
        }
        for (double t = 0; t <= top + step / 2; t += step) {
            double x = LEFT + (RIGHT - LEFT) * t / top;
            svg.line(x, plotTop, x, plotBottom, "#e0e0e0").text(x, plotBottom + 16, "middle", Svg.tick(t, step));
        }
        svg.text((LEFT + RIGHT) / 2, plotBottom + 34, "middle", unit);
        for (int c = 0; c < categories.size(); c++) {
            double y = plotTop + c * group + 6;
            svg.text(LEFT - 8, y + group / 2 - 4, "end", categories.get(c));
            for (int s = 0; s < series.size(); s++) {
                double value = s < series.size() && c < series.get(s).values().size()
                        ? series.get(s).values().get(c) : Double.NaN;
                double barY = y + s * (BAR + 2);
                if (Double.isNaN(value)) {
                    svg.text(LEFT + 4, barY + BAR - 3, "start", "-");
                    continue;
                }
                double width = Math.max(1, (RIGHT - LEFT) * value / top);
                svg.rect(LEFT, barY, width, BAR, Svg.color(s)).text(LEFT + width + 4, barY + BAR - 3, "start",
                        label.apply(value));
            }
        }
        svg.line(LEFT, plotTop, LEFT, plotBottom, "#333");
        return svg.done();
    }
}
