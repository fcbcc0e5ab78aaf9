package io.sparkbackprop.data;

import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;

/**
 * Packs the rows of one partition into a {@link DataBlock}, checking every value on the way. Input
 * rows have the feature columns first (or one vector column) and the label last. An invalid row is
 * left out of the block and recorded in the block's {@link InvalidRowReport}: nothing is thrown in
 * the task, so bad data never burns task retries, and the driver decides (refuse or skip) once it
 * has the report of every partition.
 */
final class BlockBuilder implements Function2<Integer, Iterator<Row>, Iterator<DataBlock>> {
  private static final long serialVersionUID = 1L;
  /** Optional last input column: the row's place in the input, see {@link TrainingData#withInputRow}. */
  static final String INPUT_ROW = "__sparkbackprop_input_row";
  /** Bits of the row number within its input partition in Spark's monotonically increasing ids. */
  private static final int ROW_BITS = 33;

  private final String[] featureNames;
  private final boolean vectorColumn;
  private final int numFeatures;
  private final String labelName;
  private final LabelKind labelKind;
  private final String what;
  private final List<String> labelNames;

  BlockBuilder(FeatureSchema schema, LabelKind labelKind, String what) {
    this.featureNames = schema.featureNames();
    this.vectorColumn = schema.columns().isVector();
    this.numFeatures = schema.numFeatures();
    this.labelName = schema.label();
    this.labelKind = labelKind;
    this.labelNames = schema.labelNames();
    this.what = what;
  }

  @Override
  public Iterator<DataBlock> call(Integer partition, Iterator<Row> rows) {
    int d = numFeatures;
    double[] x = new double[Math.max(16, d) * 16];
    double[] y = new double[16];
    int n = 0;
    long rowNumber = -1;
    InvalidRowReport.Tally invalid = new InvalidRowReport.Tally();
    while (rows.hasNext()) {
      Row row = rows.next();
      rowNumber++;
      if (n == y.length) {
        y = Arrays.copyOf(y, Math.multiplyExact(2, y.length));
      }
      if ((long) (n + 1) * d > x.length) {
        long grown = Math.max((long) (n + 1) * d, 2L * x.length);
        if (grown > Integer.MAX_VALUE - 8) {
          throw new DataException(what + ": partition " + partition + " holds more than 2^31 feature values;"
              + " set training.partitions higher");
        }
        x = Arrays.copyOf(x, (int) grown);
      }
      String where = where(row, rowNumber, partition);
      boolean valid = vectorColumn ? readVector(row, x, n * d, invalid, where)
          : readColumns(row, x, n * d, invalid, where);
      if (valid && readLabel(row, y, n, invalid, where)) {
        n++;
      }
    }
    DataBlock block = new DataBlock(partition, n, d, Arrays.copyOf(x, n * d), Arrays.copyOf(y, n),
        invalid.report());
    return Collections.singletonList(block).iterator();
  }

  /** Reads the feature columns into {@code x} at {@code base}; false (recorded) when invalid. */
  private boolean readColumns(Row row, double[] x, int base, InvalidRowReport.Tally invalid, String where) {
    for (int j = 0; j < numFeatures; j++) {
      if (row.isNullAt(j)) {
        invalid.add(column(featureNames[j]) + " is null", where);
        return false;
      }
      double value = ((Number) row.get(j)).doubleValue();
      if (!Double.isFinite(value)) {
        invalid.add(column(featureNames[j]) + " is " + value, where);
        return false;
      }
      x[base + j] = value;
    }
    return true;
  }

  /**
   * Reads the vector column into {@code x} at {@code base}; false (recorded) when invalid. Sparse
   * vectors (libsvm) are expanded: training runs on dense blocks.
   */
  private boolean readVector(Row row, double[] x, int base, InvalidRowReport.Tally invalid, String where) {
    if (row.isNullAt(0)) {
      invalid.add(column(featureNames[0]) + " is null", where);
      return false;
    }
    Vector v = (Vector) row.get(0);
    if (v.size() != numFeatures) {
      invalid.add(column(featureNames[0]) + " has the wrong size, expected " + numFeatures,
          where + ": " + v.size());
      return false;
    }
    for (int j = 0; j < numFeatures; j++) {
      x[base + j] = v.apply(j);
    }
    for (int j = 0; j < numFeatures; j++) {
      if (!Double.isFinite(x[base + j])) {
        invalid.add(column(featureNames[0]) + " holds NaN or infinite values",
            where + ": " + x[base + j] + " at index " + j);
        return false;
      }
    }
    return true;
  }

  /** Reads the label into {@code y[n]}; false (recorded) when invalid. */
  private boolean readLabel(Row row, double[] y, int n, InvalidRowReport.Tally invalid, String where) {
    int at = vectorColumn ? 1 : numFeatures;
    if (row.isNullAt(at)) {
      invalid.add(column(labelName) + " is null", where);
      return false;
    }
    double label = ((Number) row.get(at)).doubleValue();
    if (labelNames != null && label < 0) {
      // A string label is mapped to its class index, or to -1 when it names no training class.
      invalid.add(column(labelName) + " is not one of the training labels " + labelNames, where);
      return false;
    }
    String problem = labelKind.problem(label);
    if (problem != null) {
      invalid.add(column(labelName) + " " + problem, Double.isFinite(label) ? where + ": " + label : where);
      return false;
    }
    y[n] = label;
    return true;
  }

  /** Where a row came from: its input partition and row when known, else its place here. */
  private String where(Row row, long rowNumber, int partition) {
    int inputRow = (vectorColumn ? 1 : numFeatures) + 1;
    if (row.length() > inputRow) {
      long id = row.getLong(inputRow);
      return "row " + (id & ((1L << ROW_BITS) - 1)) + " of input partition " + (id >>> ROW_BITS);
    }
    return "row " + rowNumber + " of partition " + partition;
  }

  private static String column(String name) {
    return "column '" + name + "'";
  }
}
