package io.sparkbackprop.train;

import io.sparkbackprop.data.BlockedDataset;
import io.sparkbackprop.data.DataBlock;
import io.sparkbackprop.nn.FeedForward;
import io.sparkbackprop.nn.LossType;
import io.sparkbackprop.nn.NetworkSpec;
import io.sparkbackprop.nn.Reduction;
import io.sparkbackprop.nn.Workspace;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;

/**
 * Loss and accuracy (classification) or RMSE/MAE (regression) of given weights on a cached
 * dataset, in one distributed pass: broadcast, forward only, an {@link OrderedAggregate} of the sums.
 *
 * <p>A model is a classifier when its loss is crossEntropy or binaryCrossEntropy, or mse on more
 * than one output unit (one-hot targets); its predicted class is the arg max, or output >= 0.5 for
 * a single sigmoid unit.
 */
public final class Evaluator {
  private Evaluator() {
  }

  public static boolean isClassifier(FeedForward net) {
    return net.loss().classifies(net.spec().outputSize());
  }

  public static Metrics evaluate(JavaSparkContext sc, FeedForward net, double[] params,
      BlockedDataset data, int depth) {
    Broadcast<double[]> weights = sc.broadcast(params.clone());
    try {
      EvaluationSum sum = OrderedAggregate.aggregate(data.blocks(), EvaluationSum::new,
          new BlockEvaluation(net, weights), EvaluationSum::merge, depth);
      return toMetrics(net, sum);
    } finally {
      weights.destroy();
    }
  }

  static Metrics toMetrics(FeedForward net, EvaluationSum sum) {
    long n = sum.count;
    double loss = n == 0 ? Double.NaN : net.objective(sum.lossSum, n);
    if (isClassifier(net)) {
      return new Metrics(loss, n == 0 ? Double.NaN : (double) sum.correct / n, Double.NaN, Double.NaN, n);
    }
    return new Metrics(loss, Double.NaN, Math.sqrt(sum.squaredError / n), sum.absoluteError / n, n);
  }

  /** Adds the evaluation sums of one block into {@code sum}. Also used without Spark. */
  static void accumulate(FeedForward net, double[] params, DataBlock block, Workspace ws, EvaluationSum sum) {
    int d = block.numFeatures();
    int k = net.spec().outputSize();
    boolean classifier = isClassifier(net);
    for (int start = 0; start < block.rows(); start += ws.capacity()) {
      int rows = Math.min(ws.capacity(), block.rows() - start);
      System.arraycopy(block.features(), start * d, ws.input, 0, rows * d);
      System.arraycopy(block.labels(), start, ws.labels, 0, rows);
      sum.lossSum += net.lossSum(params, ws, rows);
      double[] out = ws.output();
      for (int r = 0; r < rows; r++) {
        double label = ws.labels[r];
        if (classifier) {
          if (predictedClass(out, r * k, k) == (int) label) {
            sum.correct++;
          }
        } else {
          double e = out[r * k] - label;
          sum.squaredError += e * e;
          sum.absoluteError += Math.abs(e);
        }
      }
    }
    sum.count += block.rows();
  }

  /** Arg max of a row, or for a single unit 1 when the output is at least 0.5. */
  public static int predictedClass(double[] out, int off, int k) {
    if (k == 1) {
      return out[off] >= 0.5 ? 1 : 0;
    }
    int best = 0;
    for (int j = 1; j < k; j++) {
      if (out[off + j] > out[off + best]) {
        best = j;
      }
    }
    return best;
  }

  private static final class BlockEvaluation implements Function2<EvaluationSum, DataBlock, EvaluationSum> {
    private static final long serialVersionUID = 1L;
    private final NetworkSpec spec;
    private final LossType loss;
    private final Reduction reduction;
    private final Broadcast<double[]> weights;

    BlockEvaluation(FeedForward net, Broadcast<double[]> weights) {
      this.spec = net.spec();
      this.loss = net.loss();
      this.reduction = net.reduction();
      this.weights = weights;
    }

    @Override
    public EvaluationSum call(EvaluationSum sum, DataBlock block) {
      if (block.rows() == 0) {
        return sum;
      }
      FeedForward net = new FeedForward(spec, loss, reduction);
      Workspace ws = PartitionScratch.of(block).workspace(net,
          Math.min(block.rows(), ShardGradient.MAX_CHUNK_ROWS));
      accumulate(net, weights.value(), block, ws, sum);
      return sum;
    }
  }
}
