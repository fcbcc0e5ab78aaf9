package io.sparkbackprop.ml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkbackprop.train.EpochStats;
import io.sparkbackprop.train.Metrics;
import io.sparkbackprop.train.RunFiles;
import io.sparkbackprop.train.TrainRun;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a fitted model's training went: per epoch the training loss and, with validation rows
 * ({@code validationFraction > 0}), the validation loss and accuracy (classifier) or RMSE
 * (regressor); and the final metrics on the training and validation rows. Saved with the model as
 * the job's {@code history.jsonl} and {@code metrics.json}, so a loaded model has it too (with the
 * precision of those files: elapsed seconds to the millisecond, rows per second rounded, and no
 * {@link #stopReason}).
 */
public final class TrainingSummary implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<EpochStats> history;
  private final Metrics train;
  private final Metrics validation;
  private final String stopReason;

  private TrainingSummary(List<EpochStats> history, Metrics train, Metrics validation, String stopReason) {
    this.history = List.copyOf(history);
    this.train = train;
    this.validation = validation;
    this.stopReason = stopReason;
  }

  static TrainingSummary of(TrainRun.Outcome outcome) {
    return new TrainingSummary(outcome.result().history(), outcome.trainMetrics(),
        outcome.validationMetrics(), outcome.result().stopReason());
  }

  /** The per-epoch figures, as the trainer reported them. */
  public List<EpochStats> history() {
    return history;
  }

  /** Epochs trained (fewer than {@code epochs} when early stopping ended the run). */
  public int totalEpochs() {
    return history.size();
  }

  /** Per epoch, the mean training loss of the epoch's steps (measured before each step's update). */
  public double[] trainLossHistory() {
    return history.stream().mapToDouble(EpochStats::trainLoss).toArray();
  }

  /** Per epoch, the validation loss; empty without validation rows. */
  public double[] validationLossHistory() {
    return validationHistory(Metrics::loss);
  }

  /** Per epoch, the validation accuracy of a classifier (NaN for a regressor); empty without validation rows. */
  public double[] validationAccuracyHistory() {
    return validationHistory(Metrics::accuracy);
  }

  /** Per epoch, the validation RMSE of a regressor (NaN for a classifier); empty without validation rows. */
  public double[] validationRmseHistory() {
    return validationHistory(Metrics::rmse);
  }

  private double[] validationHistory(java.util.function.ToDoubleFunction<Metrics> f) {
    return history.stream().filter(s -> s.validation() != null).mapToDouble(s -> f.applyAsDouble(s.validation()))
        .toArray();
  }

  /** Loss and accuracy, or loss, RMSE and MAE, of the final model on the training rows. */
  public Metrics trainMetrics() {
    return train;
  }

  /** The same on the validation rows, or null without them. */
  public Metrics validationMetrics() {
    return validation;
  }

  /** Why training ended before its last epoch (early stopping), or null. */
  public String stopReason() {
    return stopReason;
  }

  /** {@code history.jsonl} and {@code metrics.json}, as the train job writes them. */
  Map<String, byte[]> files() {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put(RunFiles.HISTORY, RunFiles.history(history));
    files.put(RunFiles.METRICS, RunFiles.metrics(history, train, validation));
    return files;
  }

  /** Reads the files {@link #files} wrote; null when the model directory has no history. */
  static TrainingSummary fromFiles(byte[] historyJsonl, byte[] metricsJson) {
    if (historyJsonl == null || metricsJson == null) {
      return null;
    }
    try {
      JsonNode metrics = JSON.readTree(metricsJson);
      Metrics train = metrics(metrics.get("train"));
      Metrics validation = metrics(metrics.get("validation"));
      int epochs = metrics.path("epochs").asInt();
      List<EpochStats> history = new ArrayList<>();
      for (String line : new String(historyJsonl, StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode e = JSON.readTree(line);
        Metrics v = !e.has("validationLoss") ? null : new Metrics(number(e, "validationLoss"),
            number(e, "validationAccuracy"), number(e, "validationRmse"), Double.NaN,
            validation == null ? 0 : validation.rows());
        history.add(new EpochStats(e.path("epoch").asInt(), epochs, e.path("step").asLong(),
            number(e, "elapsedSeconds"), number(e, "trainLoss"), number(e, "rowsPerSecond"), v));
      }
      return new TrainingSummary(history, train, validation, null);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the training history: " + e.getMessage(), e);
    }
  }

  private static Metrics metrics(JsonNode m) {
    if (m == null || m.isNull()) {
      return null;
    }
    return new Metrics(number(m, "loss"), number(m, "accuracy"), number(m, "rmse"), number(m, "mae"),
        m.path("rows").asLong());
  }

  private static double number(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? Double.NaN : v.asDouble();
  }
}
