package dev.maestro.server;

import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;

/**
 * Charts drawn on the server as inline SVG: stacked bars and lines over time buckets, sparklines and
 * a run's timeline. Colours come from CSS classes ({@code s0}, {@code s1}, ...), so they follow the
 * page's light or dark palette; every mark has a {@code <title>} a browser shows on hover.
 */
final class Charts {
  private static final int WIDTH = 640;
  private static final int HEIGHT = 180;
  private static final int LEFT = 52;
  private static final int BOTTOM = 22;
  private static final int TOP = 8;

  private Charts() {}

  /**
   * One named series of values, one per bucket.
   *
   * @param css the class that colours it ({@code ok}, {@code bad}, {@code s0}, ...)
   */
  record Series(String name, String css, double[] values) {}

  /** A span on a timeline: {@code startMs} after the run began, lasting {@code durationMs}. */
  record Span(String label, String detail, long startMs, long durationMs, String css) {}

  /** Stacked bars, one per bucket; the labels are the buckets' (a few are shown). */
  static String bars(String title, List<String> labels, List<Series> series, DoubleFunction<String> format) {
    int n = labels.size();
    double max = 0;
    for (int i = 0; i < n; i++) {
      double stack = 0;
      for (Series s : series) {
        stack += s.values()[i];
      }
      max = Math.max(max, stack);
    }
    var svg = open(title);
    axes(svg, max, format);
    double plot = WIDTH - LEFT - 4;
    double slot = n == 0 ? plot : plot / n;
    double bar = Math.max(1, slot * 0.72);
    for (int i = 0; i < n; i++) {
      double x = LEFT + i * slot + (slot - bar) / 2;
      double y = HEIGHT - BOTTOM;
      var tip = new StringBuilder(labels.get(i));
      for (Series s : series) {
        double v = s.values()[i];
        tip.append('\n').append(s.name()).append(": ").append(format.apply(v));
        if (v <= 0 || max <= 0) {
          continue;
        }
        double h = v / max * (HEIGHT - BOTTOM - TOP);
        y -= h;
        svg.append(String.format(Locale.ROOT, "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"><title>%s</title></rect>",
            escape(s.css()), x, y, bar, h, escape(tip.toString())));
      }
      if (y == HEIGHT - BOTTOM) { // an empty bucket still explains itself on hover
        svg.append(String.format(Locale.ROOT, "<rect class=\"empty\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"2\"><title>%s</title></rect>",
            x, HEIGHT - BOTTOM - 2, bar, escape(tip.toString())));
      }
    }
    xLabels(svg, labels, slot);
    return close(svg, series);
  }

  /** Lines, one point per bucket. */
  static String lines(String title, List<String> labels, List<Series> series, DoubleFunction<String> format) {
    int n = labels.size();
    double max = 0;
    for (Series s : series) {
      for (double v : s.values()) {
        max = Math.max(max, v);
      }
    }
    var svg = open(title);
    axes(svg, max, format);
    double plot = WIDTH - LEFT - 4;
    double slot = n == 0 ? plot : plot / n;
    for (Series s : series) {
      var points = new StringBuilder();
      for (int i = 0; i < n; i++) {
        double x = LEFT + i * slot + slot / 2;
        double y = HEIGHT - BOTTOM - (max <= 0 ? 0 : s.values()[i] / max * (HEIGHT - BOTTOM - TOP));
        points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
        svg.append(String.format(Locale.ROOT, "<circle class=\"%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\"><title>%s</title></circle>",
            escape(s.css()), x, y, escape(labels.get(i) + "\n" + s.name() + ": " + format.apply(s.values()[i]))));
      }
      svg.append("<polyline class=\"line ").append(escape(s.css())).append("\" points=\"").append(points.toString().strip()).append("\"/>");
    }
    xLabels(svg, labels, slot);
    return close(svg, series);
  }

  /** A small line without axes, for a figure's trend. */
  static String sparkline(String title, double[] values) {
    int w = 120;
    int h = 28;
    double max = 0;
    for (double v : values) {
      max = Math.max(max, v);
    }
    var points = new StringBuilder();
    for (int i = 0; i < values.length; i++) {
      double x = values.length == 1 ? w / 2.0 : i * (w - 2.0) / (values.length - 1) + 1;
      double y = h - 2 - (max <= 0 ? 0 : values[i] / max * (h - 4));
      points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
    }
    return "<svg class=\"spark\" viewBox=\"0 0 " + w + " " + h + "\" role=\"img\" aria-label=\"" + escape(title) + "\"><title>" + escape(title)
        + "</title><polyline points=\"" + points.toString().strip() + "\"/></svg>";
  }

  /** A run's steps on one time axis: model calls, tool calls and waits, each a bar from its start. */
  static String timeline(String title, List<Span> spans, long totalMs) {
    int row = 18;
    int labelWidth = 170;
    int width = 1160; // drawn across the page: about one unit per pixel
    int height = Math.max(1, spans.size()) * row + 20;
    double scale = (width - labelWidth - 8) / (double) Math.max(1, totalMs);
    var svg = new StringBuilder("<svg class=\"chart timeline\" viewBox=\"0 0 ").append(width).append(' ').append(height)
        .append("\" role=\"img\" aria-label=\"").append(escape(title)).append("\"><title>").append(escape(title)).append("</title>");
    for (int i = 0; i < spans.size(); i++) {
      Span s = spans.get(i);
      double y = i * row + 2;
      double x = labelWidth + s.startMs() * scale;
      double w = Math.max(2, s.durationMs() * scale);
      svg.append(String.format(Locale.ROOT, "<text class=\"label\" x=\"%d\" y=\"%.1f\">%s</text>", labelWidth - 6, y + 12,
          escape(ConsoleText.preview(s.label(), 24))));
      svg.append(String.format(Locale.ROOT, "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" rx=\"2\"><title>%s</title></rect>",
          escape(s.css()), x, y, w, row - 5, escape(s.label() + " · " + s.detail())));
    }
    double axisY = height - 6;
    svg.append(String.format(Locale.ROOT, "<text class=\"axis\" x=\"%d\" y=\"%.1f\">0</text>", labelWidth, axisY));
    svg.append(String.format(Locale.ROOT, "<text class=\"axis end\" x=\"%d\" y=\"%.1f\">%s</text>", width - 4, axisY,
        escape(ConsoleText.ms(totalMs))));
    return svg.append("</svg>").toString();
  }

  private static StringBuilder open(String title) {
    return new StringBuilder("<svg class=\"chart\" viewBox=\"0 0 " + WIDTH + " " + HEIGHT + "\" role=\"img\" aria-label=\""
        + escape(title) + "\"><title>" + escape(title) + "</title>");
  }

  private static void axes(StringBuilder svg, double max, DoubleFunction<String> format) {
    int base = HEIGHT - BOTTOM;
    svg.append(String.format(Locale.ROOT, "<line class=\"grid\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>", LEFT, base, WIDTH - 4, base));
    svg.append(String.format(Locale.ROOT, "<line class=\"grid faint\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>", LEFT, TOP, WIDTH - 4, TOP));
    svg.append(String.format(Locale.ROOT, "<text class=\"axis end\" x=\"%d\" y=\"%d\">%s</text>", LEFT - 6, TOP + 4, escape(format.apply(max))));
    svg.append(String.format(Locale.ROOT, "<text class=\"axis end\" x=\"%d\" y=\"%d\">0</text>", LEFT - 6, base + 4));
  }

  private static void xLabels(StringBuilder svg, List<String> labels, double slot) {
    int n = labels.size();
    int every = Math.max(1, (int) Math.ceil(n / 6.0));
    for (int i = 0; i < n; i += every) {
      double x = LEFT + i * slot + slot / 2;
      svg.append(String.format(Locale.ROOT, "<text class=\"axis mid\" x=\"%.1f\" y=\"%d\">%s</text>", x, HEIGHT - 6,
          escape(shortLabel(labels.get(i)))));
    }
  }

  /** Bucket labels are {@code yyyy-MM-dd HH:mm}; under the axis the date alone, or the time alone within one day, is enough. */
  private static String shortLabel(String label) {
    return label.endsWith(" 00:00") ? label.substring(5, 10) : label.length() > 11 ? label.substring(11) : label;
  }

  private static String close(StringBuilder svg, List<Series> series) {
    svg.append("</svg>");
    if (series.size() > 1) {
      svg.append("<div class=\"legend\">");
      for (Series s : series) {
        svg.append("<span><i class=\"").append(escape(s.css())).append("\"></i>").append(escape(s.name())).append("</span>");
      }
      svg.append("</div>");
    }
    return svg.toString();
  }

  static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
