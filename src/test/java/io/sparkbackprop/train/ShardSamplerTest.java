package io.sparkbackprop.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ShardSamplerTest {
  @Test
  void stepsPerEpochCoverAllRowsWithFullBatchAsOneStep() {
    assertEquals(1, ShardSampler.stepsPerEpoch(1000, 0));
    assertEquals(1, ShardSampler.stepsPerEpoch(10, 64));
    assertEquals(4, ShardSampler.stepsPerEpoch(100, 32));
    assertEquals(5, ShardSampler.stepsPerEpoch(100, 20));
  }

  @Test
  void anEpochUsesEveryRowOfThePartitionExactlyOnce() {
    int rows = 37;
    int steps = 5;
    int[] perm = ShardSampler.permutation(9, 3, 2, rows);
    int[] seen = new int[rows];
    int covered = 0;
    for (int t = 0; t < steps; t++) {
      int start = ShardSampler.shardStart(rows, t, steps);
      int end = ShardSampler.shardStart(rows, t + 1, steps);
      assertEquals(rows / (double) steps, end - start, 1.0, "shard " + t + " is proportional");
      for (int i = start; i < end; i++) {
        seen[perm[i]]++;
        covered++;
      }
    }
    assertEquals(rows, covered);
    int[] ones = new int[rows];
    Arrays.fill(ones, 1);
    assertArrayEquals(ones, seen);
  }

  @Test
  void permutationIsAPureFunctionOfSeedEpochAndPartition() {
    int[] a = ShardSampler.permutation(1, 0, 0, 100);
    assertArrayEquals(a, ShardSampler.permutation(1, 0, 0, 100));
    assertFalse(Arrays.equals(a, ShardSampler.permutation(2, 0, 0, 100)), "seed");
    assertFalse(Arrays.equals(a, ShardSampler.permutation(1, 1, 0, 100)), "epoch");
    assertFalse(Arrays.equals(a, ShardSampler.permutation(1, 0, 1, 100)), "partition");
    int[] sorted = a.clone();
    Arrays.sort(sorted);
    for (int i = 0; i < 100; i++) {
      assertEquals(i, sorted[i]);
    }
  }
}
