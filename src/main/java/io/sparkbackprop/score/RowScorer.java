package io.sparkbackprop.score;

import io.sparkbackprop.model.Preprocessing;
import io.sparkbackprop.model.SavedModel;
import io.sparkbackprop.nn.Activation;
import io.sparkbackprop.nn.FeedForward;
import io.sparkbackprop.nn.LossType;
import io.sparkbackprop.nn.Reduction;
import io.sparkbackprop.nn.Workspace;

/**
 * Scores one row at a time, with exactly the rules of {@link ModelScorer} (preprocessing,
 * prediction, probability, raw prediction; see {@link OutputKind}): for the single-row methods of
 * Spark ML models ({@code predict}, {@code predictRaw}, {@code predictProbability}). Thread-safe:
 * each call allocates its one-row buffers. {@link ModelScorer} is the fast path for DataFrames.
 */
public final class RowScorer {
  private final SavedModel model;
  private final OutputKind kind;
  private final FeedForward net;
  private final double[] params;

  private RowScorer(SavedModel model) {
    this.model = model;
    this.kind = OutputKind.of(model);
    // Forward only: the loss is unused.
    this.net = new FeedForward(model.network(), LossType.MSE, Reduction.SUM);
    this.params = model.parameters();
  }

  /**
   * @throws io.sparkbackprop.model.ModelFormatException when the model's output cannot be scored
   */
  public static RowScorer of(SavedModel model) {
    return new RowScorer(model);
  }

  public boolean isClassifier() {
    return kind.isClassifier();
  }

  /** Number of classes, 0 for a regression model. */
  public int numClasses() {
    return kind.numClasses(model.network().outputSize());
  }

  /** The class index (classifier) or the value (regression) for one row of raw features. */
  public double prediction(double[] features) {
    Workspace ws = forward(features);
    return kind.prediction(ws.output(), 0, model.network().outputSize());
  }

  /** A classifier's raw prediction (logits; {@code [-z, z]} for one sigmoid unit) for one row. */
  public double[] rawPrediction(double[] features) {
    requireClassifier();
    Workspace ws = forward(features);
    double[] raw = new double[numClasses()];
    kind.rawPrediction(ws.logits(), 0, model.network().outputSize(), raw);
    return raw;
  }

  /** A classifier's class probabilities from its raw prediction, as scoring computes them. */
  public double[] probabilityFromRaw(double[] raw) {
    requireClassifier();
    int k = model.network().outputSize();
    double[] out = new double[k];
    if (kind == OutputKind.BINARY_SIGMOID) {
      out[0] = Activation.sigmoid(raw[1]);
    } else {
      System.arraycopy(raw, 0, out, 0, k);
      model.network().outputLayer().activation().forward(out, 0, 1, k);
    }
    double[] probability = new double[numClasses()];
    kind.probability(out, 0, k, probability);
    return probability;
  }

  private Workspace forward(double[] features) {
    int d = model.network().inputSize();
    if (features.length != d) {
      throw new IllegalArgumentException("the model takes " + d + " features, got " + features.length);
    }
    Workspace ws = new Workspace(model.network(), 1);
    System.arraycopy(features, 0, ws.input, 0, d);
    Preprocessing pre = model.preprocessing();
    if (pre != null) {
      double[] means = pre.means();
      double[] stds = pre.stds();
      for (int j = 0; j < d; j++) {
        // The trainer's rule: a constant feature (std 0) is only centred.
        ws.input[j] = (ws.input[j] - means[j]) / (stds[j] > 0 ? stds[j] : 1.0);
      }
    }
    net.forward(params, ws, 1);
    return ws;
  }

  private void requireClassifier() {
    if (!kind.isClassifier()) {
      throw new IllegalStateException("a regression model has no raw prediction or probabilities");
    }
  }
}
