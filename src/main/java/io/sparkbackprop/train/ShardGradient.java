package io.sparkbackprop.train;

import io.sparkbackprop.data.DataBlock;
import io.sparkbackprop.nn.FeedForward;
import io.sparkbackprop.nn.FloatWorkspace;
import io.sparkbackprop.nn.LossType;
import io.sparkbackprop.nn.NetworkSpec;
import io.sparkbackprop.nn.Reduction;
import io.sparkbackprop.nn.Workspace;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;

/**
 * The per-partition half of one training step (the seqOp of treeAggregate): forward and backward
 * over this partition's shard of the global mini-batch, summed. Holds only small values and the
 * broadcast handle, so the serialised task stays small. Exactly one of the two broadcasts is set:
 * float64 weights for float64 runs, float32 weights for float32 runs.
 */
final class ShardGradient implements Function2<GradientSum, DataBlock, GradientSum> {
  private static final long serialVersionUID = 2L;
  /** Rows per forward/backward call: large enough for efficient GEMM, small enough for cache. */
  static final int MAX_CHUNK_ROWS = 1024;

  private final NetworkSpec spec;
  private final LossType loss;
  private final Reduction reduction;
  private final Broadcast<double[]> weights;
  private final Broadcast<float[]> weights32;
  private final long seed;
  private final int epoch;
  private final int step;
  private final int stepsPerEpoch;
  /** Test-only ({@link FaultInjection}); null in every real run. */
  private FaultInjection fault;

  private ShardGradient(FeedForward net, Broadcast<double[]> weights, Broadcast<float[]> weights32,
      long seed, int epoch, int step, int stepsPerEpoch) {
    this.spec = net.spec();
    this.loss = net.loss();
    this.reduction = net.reduction();
    this.weights = weights;
    this.weights32 = weights32;
    this.seed = seed;
    this.epoch = epoch;
    this.step = step;
    this.stepsPerEpoch = stepsPerEpoch;
  }

  ShardGradient(FeedForward net, Broadcast<double[]> weights, long seed, int epoch, int step,
      int stepsPerEpoch) {
    this(net, weights, null, seed, epoch, step, stepsPerEpoch);
  }

  static ShardGradient float32(FeedForward net, Broadcast<float[]> weights, long seed, int epoch,
      int step, int stepsPerEpoch) {
    return new ShardGradient(net, null, weights, seed, epoch, step, stepsPerEpoch);
  }

  /** Makes this step's task of partition 0 fail as {@code fault} says; null = no fault. */
  ShardGradient injecting(FaultInjection fault) {
    this.fault = fault;
    return this;
  }

  @Override
  public GradientSum call(GradientSum acc, DataBlock block) {
    if (fault != null) {
      fault.apply(block.partition());
    }
    FeedForward net = new FeedForward(spec, loss, reduction);
    GradientSum shard = weights32 != null
        ? compute(net, weights32.value(), block, seed, epoch, step, stepsPerEpoch)
        : compute(net, weights.value(), block, seed, epoch, step, stepsPerEpoch);
    return shard == null ? acc : acc.merge(shard);
  }

  /**
   * The shard's float64 gradient sum, or null when the shard is empty. Also used without Spark.
   * The returned gradient array belongs to the block's scratch and is overwritten by the next step.
   */
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
    sum.gradient = scratch.gradient(params.length);
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

  /**
   * The float32 {@link #compute(FeedForward, double[], DataBlock, long, int, int, int)}: rows are
   * rounded to float32 as they are gathered. One chunk's products are summed inside sgemm; when a
   * shard has several chunks their gradients are added in float64 and rounded once at the end.
   */
  static GradientSum compute(FeedForward net, float[] params, DataBlock block, long seed,
      int epoch, int step, int stepsPerEpoch) {
    int n = block.rows();
    int start = ShardSampler.shardStart(n, step, stepsPerEpoch);
    int end = ShardSampler.shardStart(n, step + 1, stepsPerEpoch);
    if (end == start) {
      return null;
    }
    PartitionScratch scratch = PartitionScratch.of(block);
    int[] perm = scratch.permutation(block, seed, epoch);
    FloatWorkspace ws = scratch.floatWorkspace(net, Math.min(end - start, MAX_CHUNK_ROWS));
    int d = block.numFeatures();
    double[] x = block.features();
    double[] y = block.labels();
    boolean oneChunk = end - start <= ws.capacity();
    GradientSum sum = new GradientSum();
    sum.gradient32 = scratch.floatGradient(params.length);
    double[] chunkSum = oneChunk ? null : scratch.chunkSum(params.length);
    for (int chunk = start; chunk < end; chunk += ws.capacity()) {
      int rows = Math.min(ws.capacity(), end - chunk);
      for (int r = 0; r < rows; r++) {
        int row = perm[chunk + r];
        int src = row * d;
        int dst = r * d;
        for (int j = 0; j < d; j++) {
          ws.input[dst + j] = (float) x[src + j];
        }
        ws.labels[r] = y[row];
      }
      if (oneChunk) {
        sum.lossSum += net.lossAndGradient(params, ws, rows, sum.gradient32);
      } else {
        float[] g = scratch.floatChunkGradient(params.length);
        sum.lossSum += net.lossAndGradient(params, ws, rows, g);
        for (int i = 0; i < g.length; i++) {
          chunkSum[i] += g[i];
        }
      }
    }
    if (!oneChunk) {
      for (int i = 0; i < chunkSum.length; i++) {
        sum.gradient32[i] = (float) chunkSum[i];
      }
    }
    sum.count = end - start;
    return sum;
  }
}
