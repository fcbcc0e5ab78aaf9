package io.sparkbackprop.train;

import io.sparkbackprop.data.DataBlock;
import io.sparkbackprop.nn.FeedForward;
import io.sparkbackprop.nn.FloatWorkspace;
import io.sparkbackprop.nn.NetworkSpec;
import io.sparkbackprop.nn.Workspace;
import java.util.Arrays;

/**
 * Executor-side state kept on a cached {@link DataBlock} between steps: the current epoch's
 * permutation (computed once per epoch, not once per step), workspaces, and the float32 gradient
 * buffers, all reused by every step so a step allocates nothing parameter-sized. Everything here
 * is derived deterministically, so losing it only costs recomputation.
 *
 * <p>Reuse is safe because a step's result is serialised when its task ends, before the next
 * step's task on this partition starts; steps of one training run never overlap. Persistent
 * tasks, whose attempts may overlap after a restart, each use a view of the block with scratch of
 * their own ({@link DataBlock#withoutScratch}).
 */
final class PartitionScratch {
  private long permutationSeed;
  private int permutationEpoch = -1;
  private int[] permutation;
  private Workspace workspace;
  private FloatWorkspace floatWorkspace;
  private double[] gradient;
  private float[] floatGradient;
  private float[] floatChunkGradient;
  private double[] chunkSum;

  static PartitionScratch of(DataBlock block) {
    Object s = block.scratch();
    if (s instanceof PartitionScratch scratch) {
      return scratch;
    }
    PartitionScratch scratch = new PartitionScratch();
    block.setScratch(scratch);
    return scratch;
  }

  int[] permutation(DataBlock block, long seed, int epoch) {
    if (permutation == null || permutationEpoch != epoch || permutationSeed != seed) {
      permutation = ShardSampler.permutation(seed, epoch, block.partition(), block.rows());
      permutationEpoch = epoch;
      permutationSeed = seed;
    }
    return permutation;
  }

  /** A float64 workspace for {@code net} with at least {@code capacity} rows, reused when it fits. */
  Workspace workspace(FeedForward net, int capacity) {
    NetworkSpec spec = net.spec();
    if (workspace == null || !workspace.spec().equals(spec) || workspace.capacity() < capacity) {
      workspace = new Workspace(spec, capacity);
    }
    return workspace;
  }

  /** A float32 workspace for {@code net} with at least {@code capacity} rows, reused when it fits. */
  FloatWorkspace floatWorkspace(FeedForward net, int capacity) {
    NetworkSpec spec = net.spec();
    if (floatWorkspace == null || !floatWorkspace.spec().equals(spec)
        || floatWorkspace.capacity() < capacity) {
      floatWorkspace = new FloatWorkspace(spec, capacity);
    }
    return floatWorkspace;
  }

  /** A zeroed float64 array of {@code n} values that the step's result may hold until it is sent. */
  double[] gradient(int n) {
    if (gradient == null || gradient.length != n) {
      gradient = new double[n];
    } else {
      Arrays.fill(gradient, 0.0);
    }
    return gradient;
  }

  /** A zeroed float32 array of {@code n} values that the step's result may hold until it is sent. */
  float[] floatGradient(int n) {
    floatGradient = zeroed(floatGradient, n);
    return floatGradient;
  }

  /** A zeroed float32 array for one chunk's gradient, when a shard has several chunks. */
  float[] floatChunkGradient(int n) {
    floatChunkGradient = zeroed(floatChunkGradient, n);
    return floatChunkGradient;
  }

  /** A zeroed float64 array adding up the chunk gradients of a multi-chunk shard. */
  double[] chunkSum(int n) {
    if (chunkSum == null || chunkSum.length != n) {
      chunkSum = new double[n];
    } else {
      Arrays.fill(chunkSum, 0.0);
    }
    return chunkSum;
  }

  private static float[] zeroed(float[] a, int n) {
    if (a == null || a.length != n) {
      return new float[n];
    }
    Arrays.fill(a, 0.0f);
    return a;
  }
}
