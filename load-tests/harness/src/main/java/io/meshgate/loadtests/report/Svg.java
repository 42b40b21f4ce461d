package io.meshgate.loadtests.report;

import java.util.List;

/** The pieces both charts draw with: an SVG document, text, a legend, axis ticks at round numbers. */
final class Svg {

    static final List<String> COLORS = List.of("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#b07aa1",
            "#edc948", "#9c755f");
    static final int WIDTH = 760;

    private final StringBuilder out = new StringBuilder();

    Svg(int height) {
        out.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"")
                .append(height).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height)
                .append("\" font-family=\"sans-serif\" font-size=\"12\">\n")
                .append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    }

    Svg text(double x, double y, String anchor, String text) {
        return raw("<text x=\"" + Numbers.svg(x) + "\" y=\"" + Numbers.svg(y) + "\" text-anchor=\"" + anchor
                + "\">" + escape(text) + "</text>");
    }

    Svg vertical(double x, double y, String text) {
        return raw("<text x=\"" + Numbers.svg(x) + "\" y=\"" + Numbers.svg(y) + "\" text-anchor=\"middle\" "
                + "transform=\"rotate(-90 " + Numbers.svg(x) + " " + Numbers.svg(y) + ")\">" + escape(text)
                + "</text>");
    }

    Svg title(String title) {
        return raw("<text x=\"" + WIDTH / 2 + "\" y=\"22\" text-anchor=\"middle\" font-size=\"15\" "
                + "font-weight=\"bold\">" + escape(title) + "</text>");
    }

    Svg line(double x1, double y1, double x2, double y2, String stroke) {
        return raw("<line x1=\"" + Numbers.svg(x1) + "\" y1=\"" + Numbers.svg(y1) + "\" x2=\"" + Numbers.svg(x2)
                + "\" y2=\"" + Numbers.svg(y2) + "\" stroke=\"" + stroke + "\"/>");
    }

    Svg rect(double x, double y, double width, double height, String fill) {
        return raw("<rect x=\"" + Numbers.svg(x) + "\" y=\"" + Numbers.svg(y) + "\" width=\"" + Numbers.svg(width)
                + "\" height=\"" + Numbers.svg(height) + "\" fill=\"" + fill + "\"/>");
    }

    /** One colored square and name per series, in a row under the title. */
    Svg legend(List<String> names) {
        double x = 70;
        for (int i = 0; i < names.size(); i++) {
            rect(x, 34, 10, 10, color(i));
            text(x + 14, 43, "start", names.get(i));
            x += 24 + names.get(i).length() * 7;
        }
        return this;
    }

    Svg raw(String element) {
        out.append(element).append('\n');
        return this;
    }

    String done() {
        return out.append("</svg>\n").toString();
    }

    static String color(int i) {
        return COLORS.get(i % COLORS.size());
    }

    /** A round step (1, 2 or 5 times a power of ten) that cuts 0..max into at most about five parts. */
    static double step(double max) {
        if (max <= 0) {
            return 1;
        }
        double raw = max / 5;
        double power = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * power >= raw) {
                return m * power;
            }
        }
        return 10 * power;
    }

    /** A tick label: no decimals unless the step has some. */
    static String tick(double value, double step) {
        return step >= 1 ? Numbers.count(value) : Numbers.decimal(value, step >= 0.1 ? 1 : 2);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
