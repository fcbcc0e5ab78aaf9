package io.sparkbackprop.train;

import io.sparkbackprop.data.DataBlock;
import io.sparkbackprop.nn.FeedForward;
import io.sparkbackprop.nn.Workspace;

/**
 * Executor-side state kept on a cached {@link DataBlock} between steps: the current epoch's
 * permutation (computed once per epoch, not once per step) and a workspace reused by every step.
 * Everything here is derived deterministically, so losing it only costs recomputation.
 */
final class PartitionScratch {
  private long permutationSeed;
  private int permutationEpoch = -1;
  private int[] permutation;
  private FeedForward net;
  private Workspace workspace;

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

  /** A workspace for {@code net} with at least {@code capacity} rows, reused when it fits. */
  Workspace workspace(FeedForward net, int capacity) {
    if (workspace == null || this.net == null || !this.net.spec().equals(net.spec())
        || workspace.capacity() < capacity) {
      workspace = new Workspace(net.spec(), capacity);
      this.net = net;
    }
    return workspace;
  }
}
