package io.sparkbackprop.data;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.stat.Summarizer;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * Per-feature standardisation {@code (x - mean) / std}, fitted on the training rows only and
 * stored in the model so that scoring applies the same transform. The standard deviation is the
 * sample one (n - 1), as Spark ML's StandardScaler; a constant feature (std 0) is only centred.
 */
public record Standardization(double[] means, double[] stds) implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Fits on the selected rows (features first, see {@link FeatureSchema#select}). */
  public static Standardization fit(Dataset<Row> selected, FeatureSchema schema) {
    int d = schema.numFeatures();
    double[] means = new double[d];
    double[] stds = new double[d];
    if (schema.columns().isVector()) {
      Column col = functions.col(selected.columns()[0]);
      Row r = selected.select(Summarizer.metrics("mean", "std").summary(col).as("s"))
          .select("s.mean", "s.std").first();
      means = ((Vector) r.get(0)).toArray();
      stds = ((Vector) r.get(1)).toArray();
    } else {
      List<String> names = Arrays.asList(selected.columns()).subList(0, d);
      Column[] aggs = new Column[2 * d];
      for (int j = 0; j < d; j++) {
        aggs[2 * j] = functions.avg(functions.col("`" + names.get(j) + "`"));
        aggs[2 * j + 1] = functions.stddev_samp(functions.col("`" + names.get(j) + "`"));
      }
      Row r = selected.agg(aggs[0], Arrays.copyOfRange(aggs, 1, aggs.length)).first();
      for (int j = 0; j < d; j++) {
        means[j] = r.isNullAt(2 * j) ? 0 : r.getDouble(2 * j);
        stds[j] = r.isNullAt(2 * j + 1) || Double.isNaN(r.getDouble(2 * j + 1)) ? 0 : r.getDouble(2 * j + 1);
      }
    }
    return new Standardization(means, stds);
  }

  /** In place on one row of {@code x} starting at {@code off}. */
  public void apply(double[] x, int off) {
    for (int j = 0; j < means.length; j++) {
      double s = stds[j] > 0 ? stds[j] : 1.0;
      x[off + j] = (x[off + j] - means[j]) / s;
    }
  }
}
