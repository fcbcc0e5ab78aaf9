package io.sparkbackprop.data;

import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;

/**
 * Packs the rows of one partition into a {@link DataBlock}, checking every value on the way.
 * Input rows have the feature columns first (or one vector column) and the label last.
 */
final class BlockBuilder implements Function2<Integer, Iterator<Row>, Iterator<DataBlock>> {
  private static final long serialVersionUID = 1L;

  private final String[] featureNames;
  private final boolean vectorColumn;
  private final int numFeatures;
  private final String labelName;
  private final LabelKind labelKind;
  private final String what;
  private final java.util.List<String> labelNames;
  private final Standardization standardization;

  BlockBuilder(FeatureSchema schema, LabelKind labelKind, Standardization standardization, String what) {
    this(schema.featureNames(), schema.columns().isVector(), schema.numFeatures(), schema.label(),
        labelKind, schema.labelNames(), standardization, what);
  }

  private BlockBuilder(String[] featureNames, boolean vectorColumn, int numFeatures, String labelName,
      LabelKind labelKind, java.util.List<String> labelNames, Standardization standardization,
      String what) {
    this.what = what;
    this.labelNames = labelNames;
    this.standardization = standardization;
    this.featureNames = featureNames;
    this.vectorColumn = vectorColumn;
    this.numFeatures = numFeatures;
    this.labelName = labelName;
    this.labelKind = labelKind;
  }

  @Override
  public Iterator<DataBlock> call(Integer partition, Iterator<Row> rows) {
    int d = numFeatures;
    double[] x = new double[Math.max(16, d) * 16];
    double[] y = new double[16];
    int n = 0;
    while (rows.hasNext()) {
      Row row = rows.next();
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
      int base = n * d;
      if (vectorColumn) {
        if (row.isNullAt(0)) {
          throw new DataException(where(partition, n, featureNames[0]) + " is null");
        }
        Vector v = (Vector) row.get(0);
        if (v.size() != d) {
          throw new DataException(where(partition, n, featureNames[0]) + " has " + v.size()
              + " features, expected " + d);
        }
        // Sparse vectors (libsvm) are expanded: training runs on dense blocks.
        for (int j = 0; j < d; j++) {
          x[base + j] = v.apply(j);
        }
        for (int j = 0; j < d; j++) {
          if (!Double.isFinite(x[base + j])) {
            throw new DataException(where(partition, n, featureNames[0]) + " has " + x[base + j]
                + " at index " + j);
          }
        }
      } else {
        for (int j = 0; j < d; j++) {
          if (row.isNullAt(j)) {
            throw new DataException(where(partition, n, featureNames[j]) + " is null");
          }
          double value = ((Number) row.get(j)).doubleValue();
          if (!Double.isFinite(value)) {
            throw new DataException(where(partition, n, featureNames[j]) + " is " + value);
          }
          x[base + j] = value;
        }
      }
      int labelIndex = vectorColumn ? 1 : d;
      if (row.isNullAt(labelIndex)) {
        throw new DataException(where(partition, n, labelName) + " is null");
      }
      if (standardization != null) {
        standardization.apply(x, base);
      }
      double label = ((Number) row.get(labelIndex)).doubleValue();
      if (labelNames != null && label < 0) {
        throw new DataException(where(partition, n, labelName) + " is not one of the training labels "
            + labelNames);
      }
      String problem = labelKind.problem(label);
      if (problem != null) {
        throw new DataException(where(partition, n, labelName) + " " + problem);
      }
      y[n] = label;
      n++;
    }
    DataBlock block = new DataBlock(partition, n, d, Arrays.copyOf(x, n * d), Arrays.copyOf(y, n));
    return Collections.singletonList(block).iterator();
  }

  private String where(int partition, int row, String column) {
    return what + ": column '" + column + "' in row " + row + " of partition " + partition;
  }
}
