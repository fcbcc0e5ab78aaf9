package io.sparkbackprop.data;

import io.sparkbackprop.config.DataSettings;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * The training (and validation) rows of a run as cached {@link BlockedDataset}s, with what was
 * learnt from the training rows on the way: class names of a string label column, and the
 * standardisation when asked for.
 *
 * @param validation null when there is no validation data
 * @param standardization null unless {@code data.standardize}
 */
public record TrainingData(BlockedDataset train, BlockedDataset validation, FeatureSchema schema,
    Standardization standardization) {

  /** Reads the sources named by the config, then as {@link #fromDataFrames}. */
  public static TrainingData load(SparkSession spark, DataSettings data, LabelKind labels,
      int partitions, long seed, Standardization given) {
    Dataset<Row> train = DataFrames.read(spark, data.train(), "data.train.path", 0);
    Dataset<Row> validation = null;
    if (data.validation() != null) {
      int numFeatures = data.features().isVector() && "libsvm".equals(data.validation().format())
          ? FeatureSchema.resolve(train, data.features(), data.label(), "data.train.path").numFeatures() : 0;
      validation = DataFrames.read(spark, data.validation(), "data.validation.path", numFeatures);
    }
    return fromDataFrames(train, validation, data, labels, partitions, seed, given);
  }

  /**
   * Checks, transforms, packs and caches given DataFrames.
   *
   * @param validationDf validation rows, or null to use {@code data.validationFraction} (or none)
   * @param partitions partitions to train on, 0 to keep the input's
   * @param seed seeds the validation split when it is a fraction
   * @param given with {@code data.standardize}, this standardisation instead of one fitted on the
   *     rows (a warm start keeps its model's, so the weights keep their meaning); may be null
   */
  public static TrainingData fromDataFrames(Dataset<Row> trainDf, Dataset<Row> validationDf,
      DataSettings data, LabelKind labels, int partitions, long seed, Standardization given) {
    return fromDataFrames(trainDf, validationDf, data, labels, partitions, seed, given,
        "data.train.path", "data.validation.path");
  }

  /**
   * As above, naming the training and validation rows in errors {@code trainName} and
   * {@code validationName} (the Spark ML API has DataFrames, not config keys).
   */
  public static TrainingData fromDataFrames(Dataset<Row> trainDf, Dataset<Row> validationDf,
      DataSettings data, LabelKind labels, int partitions, long seed, Standardization given,
      String trainName, String validationName) {
    FeatureSchema schema = FeatureSchema.resolve(trainDf, data.features(), data.label(), trainName);
    if (FeatureSchema.hasStringLabel(trainDf, data.label(), trainName)) {
      schema = schema.withLabelNames(labelNames(trainDf, data.label(), labels, trainName));
    }
    Dataset<Row> selected = schema.select(trainDf);
    Dataset<Row> validationRows = null;
    if (validationDf != null) {
      FeatureSchema vs = FeatureSchema.resolve(validationDf, data.features(), data.label(), validationName);
      if (vs.numFeatures() != schema.numFeatures()) {
        throw new DataException(validationName + ": has " + vs.numFeatures()
            + " features, the training data has " + schema.numFeatures());
      }
      if (schema.labelNames() != null && !FeatureSchema.hasStringLabel(validationDf, data.label(), validationName)) {
        throw new DataException(validationName + ": column '" + data.label()
            + "' must hold class names like the training data's");
      }
      validationRows = schema.select(validationDf);
    } else if (data.validationFraction() > 0) {
      double f = data.validationFraction();
      Dataset<Row>[] split = selected.randomSplit(new double[] {1 - f, f}, seed);
      selected = split[0];
      validationRows = split[1];
    }
    if (partitions > 0) {
      selected = inStableOrder(selected.repartition(partitions));
    }
    Standardization standardization = !data.standardize() ? null
        : given != null ? given : Standardization.fit(selected, schema);
    BlockedDataset train = pack(selected, schema, labels, standardization, trainName);
    if (train.totalRows() == 0) {
      train.unpersist();
      throw new DataException(trainName + ": the training data has no rows");
    }
    BlockedDataset validation = validationRows == null ? null
        : pack(validationRows, schema, labels, standardization, validationName);
    return new TrainingData(train, validation, schema, standardization);
  }

  /**
   * {@code df}'s partitions, each sorted by all its columns (a hash of them first, so comparisons
   * are cheap). A shuffle's reducer concatenates the map outputs in the order its fetches complete:
   * a repartitioned partition recomputed after an executor is lost, or computed on a cluster rather
   * than embedded, could otherwise hold its rows in another order, and the epoch's permutation
   * would then pick other rows for each step. Equal sort keys are equal rows, so a block's contents
   * depend only on which rows the partition has.
   */
  static Dataset<Row> inStableOrder(Dataset<Row> df) {
    Column[] columns = Arrays.stream(df.columns())
        .map(c -> functions.col("`" + c.replace("`", "``") + "`")).toArray(Column[]::new);
    Column[] keys = new Column[columns.length + 1];
    keys[0] = functions.xxhash64(columns);
    System.arraycopy(columns, 0, keys, 1, columns.length);
    return df.sortWithinPartitions(keys);
  }

  /** Packs selected rows (features then label) into cached blocks, one per partition. */
  public static BlockedDataset pack(Dataset<Row> selected, FeatureSchema schema, LabelKind labels,
      Standardization standardization, String what) {
    JavaRDD<DataBlock> blocks = selected.javaRDD().mapPartitionsWithIndex(
        new BlockBuilder(schema, labels, standardization, what), true);
    return BlockedDataset.cache(blocks, schema.numFeatures());
  }

  /** Sorted distinct class names of a string label column; their number must fit the output. */
  private static List<String> labelNames(Dataset<Row> df, String label, LabelKind kind, String what) {
    if (!kind.isClassification()) {
      throw new DataException(what + ": column '" + label + "' holds strings; class names need a "
          + "classification loss (crossEntropy or binaryCrossEntropy)");
    }
    List<String> names = df.select(functions.col("`" + label + "`")).na().drop().distinct()
        .sort(functions.col("`" + label + "`")).as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    if (names.size() != kind.classes()) {
      throw new DataException(what + ": column '" + label + "' has " + names.size()
          + " distinct classes " + (names.size() <= 20 ? names.toString() : "") + ", the model has "
          + kind.classes() + (kind.classes() == 2 ? " (binary)" : " output units"));
    }
    return names;
  }
}
