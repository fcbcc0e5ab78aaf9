package io.sparkbackprop.score;

import java.io.Serializable;
import java.util.HashSet;
import java.util.Set;

/**
 * Names of the columns {@link ModelScorer} adds; the defaults are Spark ML's names. A null or empty
 * name leaves that column out, as an empty output-column param does in Spark ML. Classifier-only
 * columns ({@code rawPrediction}, {@code probability}) are never added for a regression model, and
 * {@code predictedLabel} only when the model has label names.
 *
 * @param rawPrediction per class, the output layer's pre-activations (logits); for one sigmoid unit
 *     with logit z, {@code [-z, z]} as Spark's LogisticRegression reports it
 * @param probability per class, probabilities that sum to 1 (see {@link ModelScorer})
 * @param prediction the class index as a double for a classifier, the value for regression
 * @param predictedLabel the name of the predicted class
 */
public record ScoreColumns(String rawPrediction, String probability, String prediction,
    String predictedLabel) implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final ScoreColumns DEFAULTS =
      new ScoreColumns("rawPrediction", "probability", "prediction", "predictedLabel");

  public ScoreColumns {
    rawPrediction = blankToNull(rawPrediction);
    probability = blankToNull(probability);
    prediction = blankToNull(prediction);
    predictedLabel = blankToNull(predictedLabel);
    Set<String> seen = new HashSet<>();
    for (String name : new String[] {rawPrediction, probability, prediction, predictedLabel}) {
      if (name != null && !seen.add(name)) {
        throw new IllegalArgumentException("score column names must differ, '" + name + "' is used twice");
      }
    }
  }

  public ScoreColumns withRawPrediction(String name) {
    return new ScoreColumns(name, probability, prediction, predictedLabel);
  }

  public ScoreColumns withProbability(String name) {
    return new ScoreColumns(rawPrediction, name, prediction, predictedLabel);
  }

  public ScoreColumns withPrediction(String name) {
    return new ScoreColumns(rawPrediction, probability, name, predictedLabel);
  }

  public ScoreColumns withPredictedLabel(String name) {
    return new ScoreColumns(rawPrediction, probability, prediction, name);
  }

  private static String blankToNull(String name) {
    return name == null || name.isEmpty() ? null : name;
  }
}
