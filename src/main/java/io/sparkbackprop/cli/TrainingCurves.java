package io.sparkbackprop.cli;

import io.sparkbackprop.train.EpochStats;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The PNG of a run's training curves: training (and validation) loss against epoch and, when
 * there is validation data, the validation accuracy or RMSE below it.
 */
final class TrainingCurves {
  static final String FILE = "training-curves.png";
  private static final int WIDTH = 900;
  private static final int HEIGHT = 640;

  private TrainingCurves() {
  }

  static byte[] png(List<EpochStats> history, String title) {
    System.setProperty("java.awt.headless", "true");
    XYSeries train = new XYSeries("training loss");
    XYSeries validation = new XYSeries("validation loss");
    boolean classifier = false;
    XYSeries metric = null;
    for (EpochStats s : history) {
      train.add(s.epoch(), s.trainLoss());
      if (s.validation() != null) {
        validation.add(s.epoch(), s.validation().loss());
        classifier = s.validation().isClassification();
        if (metric == null) {
          metric = new XYSeries(classifier ? "validation accuracy" : "validation RMSE");
        }
        metric.add(s.epoch(), classifier ? s.validation().accuracy() : s.validation().rmse());
      }
    }
    XYSeriesCollection losses = new XYSeriesCollection(train);
    if (!validation.isEmpty()) {
      losses.addSeries(validation);
    }
    NumberAxis lossAxis = new NumberAxis("loss");
    lossAxis.setAutoRangeIncludesZero(false);
    CombinedDomainXYPlot plot = new CombinedDomainXYPlot(new NumberAxis("epoch"));
    plot.add(new XYPlot(losses, null, lossAxis, renderer()), 2);
    if (metric != null) {
      NumberAxis metricAxis = new NumberAxis(classifier ? "accuracy" : "RMSE");
      metricAxis.setAutoRangeIncludesZero(false);
      plot.add(new XYPlot(new XYSeriesCollection(metric), null, metricAxis, renderer()), 1);
    }
    JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ChartUtils.writeChartAsPNG(out, chart, WIDTH, HEIGHT);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static XYLineAndShapeRenderer renderer() {
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
    r.setSeriesStroke(0, new BasicStroke(2f));
    r.setSeriesStroke(1, new BasicStroke(2f));
    return r;
  }
}
