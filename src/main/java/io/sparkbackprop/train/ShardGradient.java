package io.sparkbackprop.train;

import io.sparkbackprop.data.DataBlock;
import io.sparkbackprop.nn.FeedForward;
import io.sparkbackprop.nn.LossType;
import io.sparkbackprop.nn.NetworkSpec;
import io.sparkbackprop.nn.Reduction;
import io.sparkbackprop.nn.Workspace;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;

/**
 * The per-partition half of one training step (the seqOp of treeAggregate): forward and backward
 * over this partition's shard of the global mini-batch, summed. Holds only small values and the
 * broadcast handle, so the serialised task stays small.
 */
final class ShardGradient implements Function2<GradientSum, DataBlock, GradientSum> {
  private static final long serialVersionUID = 1L;
  /** Rows per forward/backward call: large enough for efficient GEMM, small enough for cache. */
  static final int MAX_CHUNK_ROWS = 1024;

  private final NetworkSpec spec;
  private final LossType loss;
  private final Reduction reduction;
  private final Broadcast<double[]> weights;
  private final long seed;
  private final int epoch;
  private final int step;
  private final int stepsPerEpoch;

  ShardGradient(FeedForward net, Broadcast<double[]> weights, long seed, int epoch, int step,
      int stepsPerEpoch) {
    this.spec = net.spec();
    this.loss = net.loss();
    this.reduction = net.reduction();
    this.weights = weights;
    this.seed = seed;
    this.epoch = epoch;
    this.step = step;
    this.stepsPerEpoch = stepsPerEpoch;
  }

  @Override
  public GradientSum call(GradientSum acc, DataBlock block) {
    GradientSum shard = compute(new FeedForward(spec, loss, reduction), weights.value(), block,
        seed, epoch, step, stepsPerEpoch);
    return shard == null ? acc : acc.merge(shard);
  }

  /** The shard's gradient sum, or null when the shard is empty. Also used by local references. */
  static GradientSum compute(FeedForward net, double[] params, DataBlock block, long seed,
      int epoch, int step, int stepsPerEpoch) {
    int n = block.rows();
    int start = ShardSampler.shardStart(n, step, stepsPerEpoch);
    int end = ShardSampler.shardStart(n, step + 1, stepsPerEpoch);
    if (end == start) {
      return null;
    }
    PartitionScratch scratch = PartitionScratch.of(block);
    int[] perm = scratch.permutation(block, seed, epoch);
    Workspace ws = scratch.workspace(net, Math.min(end - start, MAX_CHUNK_ROWS));
    int d = block.numFeatures();
    double[] x = block.features();
    double[] y = block.labels();
    GradientSum sum = new GradientSum();
    sum.gradient = new double[params.length];
    for (int chunk = start; chunk < end; chunk += ws.capacity()) {
      int rows = Math.min(ws.capacity(), end - chunk);
      for (int r = 0; r < rows; r++) {
        int row = perm[chunk + r];
        System.arraycopy(x, row * d, ws.input, r * d, d);
        ws.labels[r] = y[row];
      }
      sum.lossSum += net.lossAndGradient(params, ws, rows, sum.gradient);
    }
    sum.count = end - start;
    return sum;
  }
}
