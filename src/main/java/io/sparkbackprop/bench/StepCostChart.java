package io.sparkbackprop.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A small SVG line chart of per-step cost against parameter count (log scale), one line per
 * partition count and precision; no plotting library needed.
 */
final class StepCostChart {
  private static final int W = 640;
  private static final int H = 400;
  private static final int LEFT = 60;
  private static final int BOTTOM = 50;
  private static final int TOP = 30;
  private static final int RIGHT = 170;
  private static final String[] COLORS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
      "#8c564b", "#e377c2", "#7f7f7f"};

  private StepCostChart() {
  }

  static void write(Path file, List<Map<String, Object>> rows, String title) throws IOException {
    Map<String, TreeMap<Double, Double>> lines = new TreeMap<>();
    double minX = Double.MAX_VALUE;
    double maxX = 0;
    double maxY = 0;
    for (Map<String, Object> r : rows) {
      double x = ((Number) r.get("parameters")).doubleValue();
      double y = ((Number) r.get("msPerStep")).doubleValue();
      String key = r.get("precision") + ", " + r.get("partitions") + " partition"
          + (((Number) r.get("partitions")).intValue() == 1 ? "" : "s")
          + ("persistentTasks".equals(r.get("exchange")) ? ", persistent tasks" : "");
      lines.computeIfAbsent(key, k -> new TreeMap<>()).put(x, y);
      minX = Math.min(minX, x);
      maxX = Math.max(maxX, x);
      maxY = Math.max(maxY, y);
    }
    double yTop = Math.ceil(maxY / 10) * 10;
    double lx0 = Math.log10(minX);
    double lx1 = Math.max(lx0 + 1e-9, Math.log10(maxX));
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">%n", W, H));
    s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" font-size=\"14\">%s</text>%n", LEFT, title));
    int pw = W - LEFT - RIGHT;
    int ph = H - TOP - BOTTOM;
    s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"black\"/>%n",
        LEFT, TOP, pw, ph));
    for (int i = 0; i <= 5; i++) {
      double v = yTop * i / 5;
      double y = TOP + ph - ph * v / yTop;
      s.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
          + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.0f</text>%n", LEFT, LEFT + pw, y, y, LEFT - 5, y + 4, v));
    }
    for (int e = (int) Math.ceil(lx0); e <= Math.floor(lx1); e++) {
      double x = LEFT + pw * (e - lx0) / (lx1 - lx0);
      s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#ddd\"/>"
          + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">1e%d</text>%n", x, x, TOP, TOP + ph, x, TOP + ph + 16, e));
    }
    s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">parameters (log scale)</text>%n",
        LEFT + pw / 2, H - 12));
    s.append(String.format(Locale.ROOT, "<text x=\"14\" y=\"%d\" transform=\"rotate(-90 14 %d)\" text-anchor=\"middle\">ms per step</text>%n",
        TOP + ph / 2, TOP + ph / 2));
    int c = 0;
    for (Map.Entry<String, TreeMap<Double, Double>> line : lines.entrySet()) {
      String color = COLORS[c % COLORS.length];
      String dash = line.getKey().startsWith("float64") ? " stroke-dasharray=\"5,3\"" : "";
      StringBuilder pts = new StringBuilder();
      for (Map.Entry<Double, Double> p : line.getValue().entrySet()) {
        double x = LEFT + pw * (Math.log10(p.getKey()) - lx0) / (lx1 - lx0);
        double y = TOP + ph - ph * p.getValue() / yTop;
        pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
        s.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\"/>%n", x, y, color));
      }
      s.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\"%s/>%n",
          pts.toString().trim(), color, dash));
      int ly = TOP + 10 + 18 * c;
      s.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"%s\"%s/>"
          + "<text x=\"%d\" y=\"%d\">%s</text>%n", LEFT + pw + 10, LEFT + pw + 30, ly, ly, color, dash,
          LEFT + pw + 35, ly + 4, line.getKey()));
      c++;
    }
    s.append("</svg>\n");
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    Files.writeString(file, s.toString());
  }
}
