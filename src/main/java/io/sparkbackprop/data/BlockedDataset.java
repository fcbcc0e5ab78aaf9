package io.sparkbackprop.data;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;

/**
 * Training rows cached once as one packed {@link DataBlock} per partition, with the row count of
 * every partition known on the driver (the trainer needs them to size shards; they are a few bytes
 * per partition, independent of the number of rows).
 */
public final class BlockedDataset {
  private final JavaRDD<DataBlock> blocks;
  private final long[] rowsPerPartition;
  private final long totalRows;
  private final int numFeatures;

  private BlockedDataset(JavaRDD<DataBlock> blocks, long[] rowsPerPartition, int numFeatures) {
    this.blocks = blocks;
    this.rowsPerPartition = rowsPerPartition;
    long total = 0;
    for (long r : rowsPerPartition) {
      total += r;
    }
    this.totalRows = total;
    this.numFeatures = numFeatures;
  }

  /** Caches {@code blocks} (deserialised, in memory) and materialises them by counting rows. */
  public static BlockedDataset cache(JavaRDD<DataBlock> blocks, int numFeatures) {
    blocks.persist(StorageLevel.MEMORY_ONLY());
    List<Integer> counts = blocks.map(DataBlock::rows).collect();
    long[] rows = new long[blocks.getNumPartitions()];
    if (counts.size() != rows.length) {
      throw new IllegalStateException("expected one block per partition, got " + counts.size()
          + " blocks for " + rows.length + " partitions");
    }
    for (int i = 0; i < rows.length; i++) {
      rows[i] = counts.get(i);
    }
    return new BlockedDataset(blocks, rows, numFeatures);
  }

  public JavaRDD<DataBlock> blocks() {
    return blocks;
  }

  public long[] rowsPerPartition() {
    return rowsPerPartition.clone();
  }

  public long totalRows() {
    return totalRows;
  }

  public int numFeatures() {
    return numFeatures;
  }

  public void unpersist() {
    blocks.unpersist(false);
  }
}
