package io.sparkbackprop.data;

import java.io.Serializable;

/**
 * All training rows of one partition, packed densely: features (rows, numFeatures) row-major and
 * one label per row. Built once and cached, so a training step touches only the rows of its shard.
 *
 * <p>Executor-side scratch that depends on the step (the epoch's row permutation, the workspace)
 * hangs off the cached block in transient fields: it is rebuilt deterministically if the block is
 * ever recomputed or moved.
 */
public final class DataBlock implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int partition;
  private final int rows;
  private final int numFeatures;
  /** (rows, numFeatures) row-major. */
  private final double[] features;
  /** (rows): class index or regression target. */
  private final double[] labels;

  /** The rows of the partition that were left out of this block, and why. */
  private final InvalidRowReport invalid;

  private transient Object scratch;

  public DataBlock(int partition, int rows, int numFeatures, double[] features, double[] labels) {
    this(partition, rows, numFeatures, features, labels, InvalidRowReport.none());
  }

  public DataBlock(int partition, int rows, int numFeatures, double[] features, double[] labels,
      InvalidRowReport invalid) {
    if (features.length != (long) rows * numFeatures || labels.length != rows) {
      throw new IllegalArgumentException("block arrays do not match " + rows + " rows x "
          + numFeatures + " features: " + features.length + " feature values, " + labels.length + " labels");
    }
    this.partition = partition;
    this.rows = rows;
    this.numFeatures = numFeatures;
    this.features = features;
    this.labels = labels;
    this.invalid = invalid;
  }

  /** A block of the same rows with other feature values (e.g. standardised). */
  public DataBlock withFeatures(double[] newFeatures) {
    return new DataBlock(partition, rows, numFeatures, newFeatures, labels, invalid);
  }

  /** The same rows (the same arrays, not copied) with no scratch state attached yet. */
  public DataBlock withoutScratch() {
    return new DataBlock(partition, rows, numFeatures, features, labels, invalid);
  }

  /** The rows of this partition that are not in the block, and why. */
  public InvalidRowReport invalidRows() {
    return invalid;
  }

  /** Index of the Spark partition the rows came from; part of the shuffle seed. */
  public int partition() {
    return partition;
  }

  public int rows() {
    return rows;
  }

  public int numFeatures() {
    return numFeatures;
  }

  public double[] features() {
    return features;
  }

  public double[] labels() {
    return labels;
  }

  /** Executor-local scratch state owned by the trainer; null after (de)serialisation. */
  public Object scratch() {
    return scratch;
  }

  public void setScratch(Object scratch) {
    this.scratch = scratch;
  }
}
