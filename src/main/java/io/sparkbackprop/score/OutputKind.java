package io.sparkbackprop.score;

import io.sparkbackprop.model.ModelFormatException;
import io.sparkbackprop.model.SavedModel;
import io.sparkbackprop.nn.Activation;
import io.sparkbackprop.nn.NetworkSpec;
import io.sparkbackprop.train.Evaluator;

/**
 * What a model's output layer means, and so how one row of outputs becomes the prediction columns.
 *
 * <p>A model is a classifier when model.json says {@code task: classification}; without a task,
 * when it has label names, or when its loss is a classification loss or mse on more than one unit
 * (one-hot targets, as the trainer treats it); without a loss either, when it has more than one
 * output unit. So a minimal hand-written model with one output unit is scored as a regression
 * whose prediction is the raw output, exactly as the trainer measures such a model.
 */
enum OutputKind {
  /** One output unit; the prediction is its value. */
  REGRESSION,
  /** One sigmoid unit giving p = P(class 1); probability {@code [1-p, p]}. */
  BINARY_SIGMOID,
  /** Softmax outputs: already probabilities. */
  SOFTMAX,
  /**
   * Several non-softmax outputs (mse on one-hot targets): per-class scores. Probability is the
   * scores clipped at 0 and divided by their sum (uniform when none is positive): a normalised
   * score, not a calibrated probability.
   */
  SCORES;

  static OutputKind of(SavedModel model) {
    NetworkSpec net = model.network();
    int k = net.outputSize();
    Activation act = net.outputLayer().activation();
    boolean classifier;
    if (model.task() != null) {
      classifier = model.task().equals(SavedModel.CLASSIFICATION);
    } else if (model.labels() != null) {
      classifier = true;
    } else if (model.loss() != null) {
      classifier = model.loss().classifies(k);
    } else {
      classifier = k > 1;
    }
    if (!classifier) {
      if (k != 1) {
        throw new ModelFormatException("model.json: a regression model must have 1 output unit to be scored"
            + " (the prediction is one number), has " + k);
      }
      return REGRESSION;
    }
    if (k == 1) {
      if (act != Activation.SIGMOID) {
        throw new ModelFormatException("model.json: a classifier with 1 output unit needs a sigmoid output"
            + " to give a probability, has " + act);
      }
      return BINARY_SIGMOID;
    }
    return act == Activation.SOFTMAX ? SOFTMAX : SCORES;
  }

  boolean isClassifier() {
    return this != REGRESSION;
  }

  /** Classes of a classifier with {@code outputs} units; 0 for regression. */
  int numClasses(int outputs) {
    return switch (this) {
      case REGRESSION -> 0;
      case BINARY_SIGMOID -> 2;
      case SOFTMAX, SCORES -> outputs;
    };
  }

  /**
   * The prediction of the row of {@code k} outputs at {@code off}: the trainer's rule (arg max,
   * or output >= 0.5 for one sigmoid unit), so accuracy here equals the trainer's.
   */
  double prediction(double[] out, int off, int k) {
    return this == REGRESSION ? out[off] : Evaluator.predictedClass(out, off, k);
  }

  /** Fills {@code dst} (numClasses values) with the class probabilities of one row. */
  void probability(double[] out, int off, int k, double[] dst) {
    switch (this) {
      case BINARY_SIGMOID -> {
        dst[0] = 1.0 - out[off];
        dst[1] = out[off];
      }
      case SOFTMAX -> System.arraycopy(out, off, dst, 0, k);
      case SCORES -> {
        double sum = 0;
        for (int j = 0; j < k; j++) {
          dst[j] = Math.max(0.0, out[off + j]);
          sum += dst[j];
        }
        for (int j = 0; j < k; j++) {
          dst[j] = sum > 0 ? dst[j] / sum : 1.0 / k;
        }
      }
      case REGRESSION -> throw new IllegalStateException("a regression has no probabilities");
      default -> throw new AssertionError(this);
    }
  }

  /** Fills {@code dst} (numClasses values) with the raw prediction of one row from its logits. */
  void rawPrediction(double[] logits, int off, int k, double[] dst) {
    if (this == BINARY_SIGMOID) {
      dst[0] = -logits[off];
      dst[1] = logits[off];
    } else {
      System.arraycopy(logits, off, dst, 0, k);
    }
  }
}
