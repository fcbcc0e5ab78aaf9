package io.sparkbackprop.bench;

import io.sparkbackprop.data.DataBlock;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;

/**
 * Bare aggregations of a parameter-sized array with no arithmetic, to measure one lever alone:
 * a zero value holding an eager {@code double[]} (Java-serialised into every task, as the trainer
 * once did) against a lazily allocated float32 one (what {@code GradientSum} does).
 */
final class BareSums {
  private BareSums() {
  }

  static final class Eager implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    final double[] sum;

    Eager(int n) {
      sum = new double[n];
    }

    Eager merge(Eager o) {
      for (int i = 0; i < sum.length; i++) {
        sum[i] += o.sum[i];
      }
      return this;
    }
  }

  static final class EagerSeq implements Function2<Eager, DataBlock, Eager> {
    private static final long serialVersionUID = 1L;
    private final Broadcast<float[]> weights;

    EagerSeq(Broadcast<float[]> weights) {
      this.weights = weights;
    }

    @Override
    public Eager call(Eager acc, DataBlock block) {
      acc.sum[0] += weights.value()[0];
      return acc;
    }
  }

  static final class Lazy implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    float[] sum;
    double[] sum64;

    Lazy merge(Lazy o) {
      if (o.sum64 != null) {
        if (sum64 == null) {
          sum64 = o.sum64;
        } else {
          for (int i = 0; i < sum64.length; i++) {
            sum64[i] += o.sum64[i];
          }
        }
      }
      if (o.sum != null) {
        if (sum == null) {
          sum = o.sum;
        } else {
          for (int i = 0; i < sum.length; i++) {
            sum[i] += o.sum[i];
          }
        }
      }
      return this;
    }
  }

  static final class LazySeq implements Function2<Lazy, DataBlock, Lazy> {
    private static final long serialVersionUID = 1L;
    private final Broadcast<float[]> weights;
    private final boolean float64;

    LazySeq(Broadcast<float[]> weights, boolean float64) {
      this.weights = weights;
      this.float64 = float64;
    }

    @Override
    public Lazy call(Lazy acc, DataBlock block) {
      float[] w = weights.value();
      Lazy mine = new Lazy();
      if (float64) {
        mine.sum64 = new double[w.length];
        mine.sum64[0] = w[0];
      } else {
        mine.sum = new float[w.length];
        mine.sum[0] = w[0];
      }
      return acc.merge(mine);
    }
  }
}
