package io.sparkbackprop.data;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;

/**
 * Per-feature standardisation {@code (x - mean) / std}, fitted on the training rows only and
 * stored in the model so that scoring applies the same transform. The standard deviation is the
 * sample one (n - 1), as Spark ML's StandardScaler; a constant feature (std 0) is only centred.
 */
public record Standardization(double[] means, double[] stds) implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * Fits on packed (already checked) training blocks: each partition's exact mean and sum of
   * squared deviations, merged on the driver in partition order (Chan et al.), so the result does
   * not depend on which task finished first.
   */
  public static Standardization fit(JavaRDD<DataBlock> blocks, int numFeatures) {
    List<double[]> parts = blocks.map(Standardization::moments).collect();
    double n = 0;
    double[] mean = new double[numFeatures];
    double[] m2 = new double[numFeatures];
    for (double[] p : parts) {
      double nb = p[0];
      if (nb == 0) {
        continue;
      }
      double total = n + nb;
      for (int j = 0; j < numFeatures; j++) {
        double delta = p[1 + j] - mean[j];
        mean[j] += delta * nb / total;
        m2[j] += p[1 + numFeatures + j] + delta * delta * n * nb / total;
      }
      n = total;
    }
    double[] std = new double[numFeatures];
    for (int j = 0; j < numFeatures; j++) {
      std[j] = n > 1 ? Math.sqrt(m2[j] / (n - 1)) : 0;
    }
    return new Standardization(mean, std);
  }

  /** {rows, mean[d], sum of squared deviations[d]} of one block, in two exact passes. */
  private static double[] moments(DataBlock b) {
    int d = b.numFeatures();
    int n = b.rows();
    double[] x = b.features();
    double[] out = new double[1 + 2 * d];
    out[0] = n;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        out[1 + j] += x[i * d + j];
      }
    }
    for (int j = 0; j < d && n > 0; j++) {
      out[1 + j] /= n;
    }
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        double dev = x[i * d + j] - out[1 + j];
        out[1 + d + j] += dev * dev;
      }
    }
    return out;
  }

  /** The block with standardised features, in a new array. */
  public DataBlock apply(DataBlock block) {
    int d = means.length;
    double[] x = block.features().clone();
    for (int off = 0; off < x.length; off += d) {
      for (int j = 0; j < d; j++) {
        double s = stds[j] > 0 ? stds[j] : 1.0;
        x[off + j] = (x[off + j] - means[j]) / s;
      }
    }
    return block.withFeatures(x);
  }
}
