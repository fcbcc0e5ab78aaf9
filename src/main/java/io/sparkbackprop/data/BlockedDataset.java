package io.sparkbackprop.data;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

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
  private final InvalidRowReport invalidRows;

  private BlockedDataset(JavaRDD<DataBlock> blocks, long[] rowsPerPartition, int numFeatures,
      InvalidRowReport invalidRows) {
    this.blocks = blocks;
    this.rowsPerPartition = rowsPerPartition;
    long total = 0;
    for (long r : rowsPerPartition) {
      total += r;
    }
    this.totalRows = total;
    this.numFeatures = numFeatures;
    this.invalidRows = invalidRows;
  }

  /**
   * Caches {@code blocks} (deserialised, in memory) and materialises them, collecting the row count
   * and the invalid rows of every partition: one Spark job, which is also the pass that checks
   * every input value.
   */
  public static BlockedDataset cache(JavaRDD<DataBlock> blocks, int numFeatures) {
    blocks.persist(StorageLevel.MEMORY_ONLY());
    List<Tuple2<Integer, InvalidRowReport>> counts =
        blocks.map(b -> new Tuple2<>(b.rows(), b.invalidRows())).collect();
    long[] rows = new long[blocks.getNumPartitions()];
    if (counts.size() != rows.length) {
      throw new IllegalStateException("expected one block per partition, got " + counts.size()
          + " blocks for " + rows.length + " partitions");
    }
    InvalidRowReport invalid = InvalidRowReport.none();
    for (int i = 0; i < rows.length; i++) {
      rows[i] = counts.get(i)._1();
      invalid = invalid.merge(counts.get(i)._2());   // in partition order: the report is deterministic
    }
    return new BlockedDataset(blocks, rows, numFeatures, invalid);
  }

  /**
   * These rows with their features standardised, cached in place of these (which are unpersisted
   * once the new blocks are materialised).
   */
  public BlockedDataset standardized(Standardization standardization) {
    JavaRDD<DataBlock> scaled = blocks.map(standardization::apply);
    BlockedDataset result = cache(scaled, numFeatures);   // the blocks carry their invalid-row reports along
    unpersist();
    return result;
  }

  /** The input rows left out of the blocks, and why. */
  public InvalidRowReport invalidRows() {
    return invalidRows;
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
