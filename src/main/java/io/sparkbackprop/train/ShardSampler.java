package io.sparkbackprop.train;

import java.util.SplittableRandom;

/**
 * Which rows of a partition belong to which step of an epoch.
 *
 * <p>Each epoch every partition shuffles its own rows with a permutation seeded by
 * {@code (seed, epoch, partition)}; step {@code t} of {@code S} takes the slice
 * {@code [floor(t*n/S), floor((t+1)*n/S))} of that permutation. So a partition contributes rows
 * in proportion to its share of the data, every row is used exactly once per epoch, and no step
 * scans the whole partition.
 */
public final class ShardSampler {
  private ShardSampler() {
  }

  /** Number of steps in an epoch of {@code totalRows} rows with global batch size {@code batchSize}; 0 means full batch. */
  public static int stepsPerEpoch(long totalRows, int batchSize) {
    if (batchSize == 0 || totalRows <= batchSize) {
      return 1;
    }
    return Math.toIntExact((totalRows + batchSize - 1) / batchSize);
  }

  /** First position (inclusive) in the epoch's permutation of the rows of step {@code step}. */
  public static int shardStart(int rows, int step, int steps) {
    return (int) ((long) step * rows / steps);
  }

  /** A permutation of {@code 0..rows-1}, a pure function of its arguments (Fisher-Yates). */
  public static int[] permutation(long seed, int epoch, int partition, int rows) {
    int[] perm = new int[rows];
    for (int i = 0; i < rows; i++) {
      perm[i] = i;
    }
    SplittableRandom rng = new SplittableRandom(mix(mix(mix(seed) ^ epoch) ^ ((long) partition << 32)));
    for (int i = rows - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int tmp = perm[i];
      perm[i] = perm[j];
      perm[j] = tmp;
    }
    return perm;
  }

  /** MurmurHash3's 64-bit finaliser: nearby inputs give unrelated seeds. */
  private static long mix(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return z ^ (z >>> 33);
  }
}
