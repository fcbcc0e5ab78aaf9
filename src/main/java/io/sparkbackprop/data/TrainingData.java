package io.sparkbackprop.data;

import io.sparkbackprop.config.DataSettings;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads the training (and validation) data of a config into cached {@link BlockedDataset}s.
 *
 * @param validation null when the config asks for no validation
 */
public record TrainingData(BlockedDataset train, BlockedDataset validation, FeatureSchema schema) {

  /**
   * @param partitions partitions to train on, 0 to keep the input's
   * @param seed seeds the validation split when it is a fraction
   */
  public static TrainingData load(SparkSession spark, DataSettings data, LabelKind labels,
      int partitions, long seed) {
    Dataset<Row> df = DataFrames.read(spark, data.train(), "data.train.path", 0);
    FeatureSchema schema = FeatureSchema.resolve(df, data.features(), data.label(), "data.train.path");
    Dataset<Row> selected = schema.select(df);
    Dataset<Row> validationRows = null;
    if (data.validation() != null) {
      Dataset<Row> v = DataFrames.read(spark, data.validation(), "data.validation.path",
          schema.numFeatures());
      FeatureSchema vs = FeatureSchema.resolve(v, data.features(), data.label(), "data.validation.path");
      if (vs.numFeatures() != schema.numFeatures()) {
        throw new DataException("data.validation.path: has " + vs.numFeatures()
            + " features, the training data has " + schema.numFeatures());
      }
      validationRows = vs.select(v);
    } else if (data.validationFraction() > 0) {
      double f = data.validationFraction();
      Dataset<Row>[] split = selected.randomSplit(new double[] {1 - f, f}, seed);
      selected = split[0];
      validationRows = split[1];
    }
    if (partitions > 0) {
      selected = selected.repartition(partitions);
    }
    BlockedDataset train = pack(selected, schema, labels, "data.train.path");
    if (train.totalRows() == 0) {
      train.unpersist();
      throw new DataException("data.train.path: '" + data.train().path() + "' has no rows");
    }
    BlockedDataset validation = validationRows == null ? null
        : pack(validationRows, schema, labels, "data.validation.path");
    return new TrainingData(train, validation, schema);
  }

  /** Packs selected rows (features then label) into cached blocks, one per partition. */
  public static BlockedDataset pack(Dataset<Row> selected, FeatureSchema schema, LabelKind labels,
      String what) {
    JavaRDD<DataBlock> blocks = selected.javaRDD().mapPartitionsWithIndex(
        new BlockBuilder(schema.featureNames(), schema.columns().isVector(), schema.numFeatures(),
            schema.label(), labels, what), true);
    return BlockedDataset.cache(blocks, schema.numFeatures());
  }
}
