package io.sparkbackprop.config;

import io.sparkbackprop.nn.Precision;

/**
 * The {@code training} section and the trainer-level optimizer options.
 *
 * @param batchSize global mini-batch size in rows; {@link #FULL_BATCH} for one step per epoch
 * @param partitions number of partitions to train on; 0 keeps the input's partitioning
 * @param aggregationDepth depth of Spark's treeAggregate for the gradient sum
 * @param clipNorm maximum global gradient norm; 0 disables clipping
 * @param precision element type of the forward/backward arithmetic and of what is broadcast and
 *     aggregated; the optimizer always works in float64
 * @param earlyStopping null when off
 * @param exchange how each step's gradient sums reach the driver: a job per step or persistent tasks
 */
public record TrainingSettings(int epochs, int batchSize, long seed, int partitions,
    int aggregationDepth, double clipNorm, Precision precision, EarlyStoppingSettings earlyStopping,
    CheckpointSettings checkpoint, GradientExchange exchange) {
  public static final int FULL_BATCH = 0;

  /** Settings with the default exchange, {@link GradientExchange#TREE_AGGREGATE}. */
  public TrainingSettings(int epochs, int batchSize, long seed, int partitions,
      int aggregationDepth, double clipNorm, Precision precision, EarlyStoppingSettings earlyStopping,
      CheckpointSettings checkpoint) {
    this(epochs, batchSize, seed, partitions, aggregationDepth, clipNorm, precision, earlyStopping,
        checkpoint, GradientExchange.TREE_AGGREGATE);
  }

  /** Settings in float64 (the precision of the exactness tests), without early stopping and checkpoints. */
  public TrainingSettings(int epochs, int batchSize, long seed, int partitions,
      int aggregationDepth, double clipNorm) {
    this(epochs, batchSize, seed, partitions, aggregationDepth, clipNorm, Precision.FLOAT64, null,
        new CheckpointSettings(null, 0, 1));
  }

  public TrainingSettings {
    if (precision == null || exchange == null) {
      throw new IllegalArgumentException("precision and exchange must be given");
    }
  }

  /** The same settings in another precision. */
  public TrainingSettings withPrecision(Precision p) {
    return new TrainingSettings(epochs, batchSize, seed, partitions, aggregationDepth, clipNorm, p,
        earlyStopping, checkpoint, exchange);
  }

  /** The same settings with another number of epochs. */
  public TrainingSettings withEpochs(int n) {
    return new TrainingSettings(n, batchSize, seed, partitions, aggregationDepth, clipNorm, precision,
        earlyStopping, checkpoint, exchange);
  }

  /** The same settings with another gradient exchange. */
  public TrainingSettings withExchange(GradientExchange e) {
    return new TrainingSettings(epochs, batchSize, seed, partitions, aggregationDepth, clipNorm,
        precision, earlyStopping, checkpoint, e);
  }

  public boolean fullBatch() {
    return batchSize == FULL_BATCH;
  }
}
