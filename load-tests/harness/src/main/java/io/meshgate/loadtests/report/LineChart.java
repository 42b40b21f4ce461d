package io.meshgate.loadtests.report;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.stream.Collectors;

/** Lines over time (seconds): memory during a soak, answers per second around a backend kill. */
public final class LineChart {

    private static final double LEFT = 70;
    private static final double RIGHT = Svg.WIDTH - 20;
    private static final double TOP = 56;
    private static final double BOTTOM = 280;

    /** Points as (x, y). */
    public record Line(String name, List<double[]> points) {

        public Line {
            requireNonNull(name, "name");
            points = List.copyOf(points);
        }
    }

    /** A vertical line at x, labeled: an event such as a kill. */
    public record Marker(double x, String label) {
    }

    private LineChart() {
    }

    public static String render(String title, String xUnit, String yUnit, List<Line> lines) {
        return render(title, xUnit, yUnit, lines, List.of());
    }

    public static String render(String title, String xUnit, String yUnit, List<Line> lines, List<Marker> markers) {
        double minX = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        double maxY = 0;
        for (Line line : lines) {
            for (double[] p : line.points()) {
                minX = Math.min(minX, p[0]);
                maxX = Math.max(maxX, p[0]);
                maxY = Numbers.max(maxY, p[1]);
            }
        }
        if (minX > maxX) {
            minX = 0;
            maxX = 1;
        }
        if (maxX == minX) {
            maxX = minX + 1;
        }
        double stepY = Svg.step(maxY);
        double topY = Math.max(stepY, Math.ceil(maxY / stepY) * stepY);
        double stepX = Svg.step(maxX - minX);
        Svg svg = new Svg((int) BOTTOM + 44).title(title).legend(lines.stream().map(Line::name).toList());
        for (double t = 0; t <= topY + stepY / 2; t += stepY) {
            double y = BOTTOM - (BOTTOM - TOP) * t / topY;
            svg.line(LEFT, y, RIGHT, y, "#e0e0e0").text(LEFT - 6, y + 4, "end", Svg.tick(t, stepY));
        }
        for (double t = Math.ceil(minX / stepX) * stepX; t <= maxX + stepX / 100; t += stepX) {
            double x = LEFT + (RIGHT - LEFT) * (t - minX) / (maxX - minX);
            svg.line(x, BOTTOM, x, BOTTOM + 4, "#333").text(x, BOTTOM + 16, "middle", Svg.tick(t, stepX));
        }
        svg.line(LEFT, TOP, LEFT, BOTTOM, "#333").line(LEFT, BOTTOM, RIGHT, BOTTOM, "#333")
                .text((LEFT + RIGHT) / 2, BOTTOM + 34, "middle", xUnit)
                .vertical(14, (TOP + BOTTOM) / 2, yUnit);
        for (Marker marker : markers) {
            double x = LEFT + (RIGHT - LEFT) * (marker.x() - minX) / (maxX - minX);
            svg.line(x, TOP, x, BOTTOM, "#999").text(x + 4, TOP + 12, "start", marker.label());
        }
        for (int i = 0; i < lines.size(); i++) {
            double x0 = minX;
            double x1 = maxX;
            double finalTop = topY;
            String points = lines.get(i).points().stream().filter(p -> !Double.isNaN(p[1]))
                    .map(p -> Numbers.svg(LEFT + (RIGHT - LEFT) * (p[0] - x0) / (x1 - x0)) + ","
                            + Numbers.svg(BOTTOM - (BOTTOM - TOP) * p[1] / finalTop))
                    .collect(Collectors.joining(" "));
            svg.raw("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"" + Svg.color(i) + "\" points=\"" + points
                    + "\"/>");
        }
        return svg.done();
    }
}
