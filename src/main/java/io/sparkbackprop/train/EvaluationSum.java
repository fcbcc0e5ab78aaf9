package io.sparkbackprop.train;

/** Partial sums of an evaluation pass, combined across partitions. */
public final class EvaluationSum implements java.io.Serializable {
  private static final long serialVersionUID = 1L;
  double lossSum;
  long count;
  long correct;
  double squaredError;
  double absoluteError;

  public EvaluationSum merge(EvaluationSum o) {
    lossSum += o.lossSum;
    count += o.count;
    correct += o.correct;
    squaredError += o.squaredError;
    absoluteError += o.absoluteError;
    return this;
  }
}
