package io.sparkbackprop.data;

import io.sparkbackprop.config.DataSettings;
import io.sparkbackprop.config.InvalidRowPolicy;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
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
    Dataset<Row> selected = withInputRow(schema.select(trainDf));
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
      validationRows = withInputRow(schema.select(validationDf));
    } else if (data.validationFraction() > 0) {
      double f = data.validationFraction();
      Dataset<Row>[] split = selected.randomSplit(new double[] {1 - f, f}, seed);
      selected = split[0];
      validationRows = split[1];
    }
    if (partitions > 0) {
      selected = inInputOrder(selected.repartition(partitions));
    }
    BlockedDataset train = pack(selected, schema, labels, trainName);
    BlockedDataset validation = null;
    try {
      check(train, data.handleInvalid(), trainName);
      // A held-out fraction is named by its key: it has no path of its own.
      String heldOut = validationDf == null ? "data.validation.fraction" : validationName;
      validation = validationRows == null ? null : pack(validationRows, schema, labels, heldOut);
      if (validation != null) {
        check(validation, data.handleInvalid(), heldOut);
      }
    } catch (RuntimeException e) {
      train.unpersist();
      if (validation != null) {
        validation.unpersist();
      }
      throw e;
    }
    Standardization standardization = !data.standardize() ? null
        : given != null ? given : Standardization.fit(train.blocks(), schema.numFeatures());
    if (standardization != null) {
      train = train.standardized(standardization);
      validation = validation == null ? null : validation.standardized(standardization);
    }
    return new TrainingData(train, validation, schema, standardization);
  }

  /**
   * {@code selected} with a last column {@value BlockBuilder#INPUT_ROW}: each row's place in the
   * input (Spark's {@code monotonically_increasing_id}: input partition in the upper bits, row
   * within it in the lower 33). It names a bad row where the user can find it, whatever shuffles
   * and sorts follow, and it gives repartitioned rows a stable order ({@link #inInputOrder}).
   */
  static Dataset<Row> withInputRow(Dataset<Row> selected) {
    return selected.withColumn(BlockBuilder.INPUT_ROW, functions.monotonically_increasing_id());
  }

  /**
   * Each partition of {@code df} (rows {@link #withInputRow}) sorted by input row. A shuffle's
   * reducer concatenates the map outputs in the order its fetches complete: a repartitioned
   * partition recomputed after an executor is lost, or computed on a cluster rather than embedded,
   * could otherwise hold its rows in another order, and the epoch's permutation would then pick
   * other rows for each step. Input rows are unique, so the order is total.
   */
  static Dataset<Row> inInputOrder(Dataset<Row> df) {
    return df.sortWithinPartitions(BlockBuilder.INPUT_ROW);
  }

  /**
   * Packs selected rows (features then label) into cached blocks, one per partition, checking
   * every value; invalid rows are left out and reported by {@link BlockedDataset#invalidRows}.
   */
  public static BlockedDataset pack(Dataset<Row> selected, FeatureSchema schema, LabelKind labels,
      String what) {
    JavaRDD<DataBlock> blocks = selected.javaRDD().mapPartitionsWithIndex(
        new BlockBuilder(schema, labels, what), true);
    return BlockedDataset.cache(blocks, schema.numFeatures());
  }

  /** Refuses invalid rows (unless skipped) and data without a valid row, in one line each. */
  private static void check(BlockedDataset blocks, InvalidRowPolicy policy, String what) {
    InvalidRowReport invalid = blocks.invalidRows();
    long all = blocks.totalRows() + invalid.rows();
    if (policy == InvalidRowPolicy.ERROR && !invalid.isEmpty()) {
      // The job's users set the config key; the Spark ML API's the param of the same name.
      String key = what.startsWith("data.") ? "data.handleInvalid" : "handleInvalid";
      throw new DataException(what + ": " + invalid.rows() + " invalid " + (invalid.rows() == 1 ? "row" : "rows")
          + " of " + all + ": " + invalid.describe() + "; set " + key + " = skip to drop invalid rows");
    }
    if (blocks.totalRows() == 0) {
      throw new DataException(what + (all == 0 ? ": has no rows"
          : ": has no valid rows (" + InvalidRowReport.rowsText(all) + ", all invalid): " + invalid.describe()));
    }
  }

  /** One line per data set whose invalid rows were skipped, e.g. for the job's output. */
  public java.util.List<String> skippedRows() {
    java.util.List<String> lines = new java.util.ArrayList<>();
    for (BlockedDataset b : new BlockedDataset[] {train, validation}) {
      if (b != null && !b.invalidRows().isEmpty()) {
        lines.add((b == train ? "training" : "validation") + " data: skipped " + b.invalidRows().rows()
            + " invalid of " + InvalidRowReport.rowsText(b.totalRows() + b.invalidRows().rows()) + " ("
            + b.invalidRows().counts() + ")");
      }
    }
    return lines;
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
