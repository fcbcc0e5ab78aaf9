package io.sparkbackprop.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The metrics files of a run (DESIGN.md, contract): {@code history.jsonl}, one JSON object per
 * epoch with {@code epoch, step, elapsedSeconds, trainLoss} and, with validation data,
 * {@code validationLoss} plus {@code validationAccuracy} or {@code validationRmse}; and
 * {@code metrics.json} with the final figures.
 */
public final class RunFiles {
  public static final String HISTORY = "history.jsonl";
  public static final String METRICS = "metrics.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private RunFiles() {
  }

  public static byte[] history(List<EpochStats> history) {
    StringBuilder b = new StringBuilder();
    for (EpochStats s : history) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("epoch", s.epoch());
      m.put("step", s.step());
      m.put("elapsedSeconds", round(s.elapsedSeconds()));
      m.put("trainLoss", s.trainLoss());
      m.put("rowsPerSecond", Math.round(s.rowsPerSecond()));
      Metrics v = s.validation();
      if (v != null) {
        m.put("validationLoss", v.loss());
        if (v.isClassification()) {
          m.put("validationAccuracy", v.accuracy());
        } else {
          m.put("validationRmse", v.rmse());
        }
      }
      b.append(write(m, false)).append('\n');
    }
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  public static byte[] metrics(TrainRun.Outcome outcome) {
    return metrics(outcome.result().history(), outcome.trainMetrics(), outcome.validationMetrics());
  }

  /** {@code metrics.json} from a run's history and final metrics ({@code validation} may be null). */
  public static byte[] metrics(List<EpochStats> h, Metrics train, Metrics validation) {
    Map<String, Object> m = new LinkedHashMap<>();
    EpochStats last = h.get(h.size() - 1);
    m.put("epochs", last.epoch());
    m.put("steps", last.step());
    m.put("elapsedSeconds", round(last.elapsedSeconds()));
    m.put("trainLoss", last.trainLoss());
    m.put("train", metricsMap(train));
    if (validation != null) {
      m.put("validation", metricsMap(validation));
    }
    return (write(m, true) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  /** Loss and accuracy, or loss, RMSE and MAE, of a final evaluation. */
  public static Map<String, Object> metricsMap(Metrics metrics) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rows", metrics.rows());
    m.put("loss", metrics.loss());
    if (metrics.isClassification()) {
      m.put("accuracy", metrics.accuracy());
    } else {
      m.put("rmse", metrics.rmse());
      m.put("mae", metrics.mae());
    }
    return m;
  }

  private static double round(double seconds) {
    return Math.round(seconds * 1000) / 1000.0;
  }

  private static String write(Object o, boolean pretty) {
    try {
      return pretty ? JSON.writer(SerializationFeature.INDENT_OUTPUT).writeValueAsString(o)
          : JSON.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
