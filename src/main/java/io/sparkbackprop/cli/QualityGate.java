package io.sparkbackprop.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparkbackprop.config.GateSettings;
import io.sparkbackprop.train.Metrics;
import java.util.Locale;

/** Checks a new model's final metric against {@code output.gate}. */
final class QualityGate {
  private QualityGate() {
  }

  /** @param message says why it failed, or what passed */
  record Result(boolean passed, String message, double value) {
  }

  static double value(String metric, Metrics train, Metrics validation) {
    Metrics m = metric.startsWith("validation") ? validation : train;
    String what = metric.replaceFirst("^(validation|train)", "");
    return switch (what) {
      case "Accuracy" -> m.accuracy();
      case "Loss" -> m.loss();
      case "Rmse" -> m.rmse();
      default -> throw new IllegalArgumentException(metric);
    };
  }

  /** The same metric read from a model's metrics.json, or NaN when it is not there. */
  static double fromMetricsJson(String metric, JsonNode metrics) {
    if (metrics == null) {
      return Double.NaN;
    }
    JsonNode section = metrics.get(metric.startsWith("validation") ? "validation" : "train");
    String key = metric.replaceFirst("^(validation|train)", "").toLowerCase(Locale.ROOT);
    return section == null || !section.has(key) ? Double.NaN : section.get(key).asDouble();
  }

  static Result check(GateSettings gate, Metrics train, Metrics validation, JsonNode latestMetrics) {
    double v = value(gate.metric(), train, validation);
    boolean higher = gate.higherIsBetter();
    if (!Double.isNaN(gate.threshold()) && !(higher ? v >= gate.threshold() : v <= gate.threshold())) {
      return new Result(false, String.format(Locale.ROOT, "quality gate failed: %s is %.6g, required %s %s",
          gate.metric(), v, higher ? ">=" : "<=", gate.threshold()), v);
    }
    double latest = fromMetricsJson(gate.metric(), latestMetrics);
    if (!Double.isNaN(gate.maxWorseThanLatest()) && !Double.isNaN(latest)) {
      double worse = higher ? latest - v : v - latest;
      if (worse > gate.maxWorseThanLatest()) {
        return new Result(false, String.format(Locale.ROOT, "quality gate failed: %s is %.6g, worse "
            + "than the LATEST model's %.6g by %.6g (allowed %s)", gate.metric(), v, latest, worse,
            gate.maxWorseThanLatest()), v);
      }
    }
    return new Result(true, String.format(Locale.ROOT, "quality gate passed: %s is %.6g", gate.metric(), v), v);
  }
}
