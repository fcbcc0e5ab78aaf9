package io.sparkbackprop.score;

import io.sparkbackprop.SparkTestSession;
import io.sparkbackprop.model.Features;
import io.sparkbackprop.model.SavedModel;
import io.sparkbackprop.nn.Activation;
import io.sparkbackprop.nn.LayerSpec;
import io.sparkbackprop.nn.LossType;
import io.sparkbackprop.nn.NetworkSpec;
import io.sparkbackprop.nn.Reduction;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Small models and DataFrames for the scoring tests; public so the job tests can use them. */
public final class ScoringModels {
  private ScoringModels() {
  }

  /** 3 inputs a, b, c; 5 tanh units; 3 softmax classes; seeded weights in [-1, 1]. */
  public static SavedModel softmax3(long seed) {
    NetworkSpec net = new NetworkSpec(3, List.of(LayerSpec.dense(5, Activation.TANH),
        LayerSpec.dense(3, Activation.SOFTMAX)));
    return SavedModel.builder(net, weights(net.numParameters(), seed))
        .loss(LossType.CROSS_ENTROPY, Reduction.MEAN).task(SavedModel.CLASSIFICATION)
        .features(Features.columns(List.of("a", "b", "c"))).build();
  }

  /**
   * 3 inputs, no hidden layer, weights ln2 * identity, no bias, softmax: a one-hot input of class
   * c gives probabilities 1/2 for c and 1/4 for the others, so figures can be checked by hand.
   */
  public static SavedModel oneHotSoftmax(List<String> labels) {
    NetworkSpec net = new NetworkSpec(3, List.of(new LayerSpec(3, Activation.SOFTMAX, false)));
    double l = Math.log(2);
    double[] w = {l, 0, 0, 0, l, 0, 0, 0, l};
    return SavedModel.builder(net, w).loss(LossType.CROSS_ENTROPY, Reduction.MEAN)
        .task(SavedModel.CLASSIFICATION).labels(labels)
        .features(Features.columns(List.of("a", "b", "c"))).build();
  }

  /** One input x, one sigmoid unit with weight 1 and no bias: p = sigmoid(x). */
  public static SavedModel sigmoidOfX() {
    NetworkSpec net = new NetworkSpec(1, List.of(new LayerSpec(1, Activation.SIGMOID, false)));
    return SavedModel.builder(net, new double[] {1}).loss(LossType.BINARY_CROSS_ENTROPY, Reduction.MEAN)
        .task(SavedModel.CLASSIFICATION).features(Features.columns(List.of("x"))).build();
  }

  /** One input x, linear output 2x + 1: a regression. */
  public static SavedModel twoXPlusOne() {
    NetworkSpec net = new NetworkSpec(1, List.of(LayerSpec.dense(1, Activation.LINEAR)));
    return SavedModel.builder(net, new double[] {2, 1}).loss(LossType.MSE, Reduction.MEAN)
        .task(SavedModel.REGRESSION).features(Features.columns(List.of("x"))).build();
  }

  static double[] weights(int n, long seed) {
    Random r = new Random(seed);
    double[] w = new double[n];
    for (int i = 0; i < n; i++) {
      w[i] = 2 * r.nextDouble() - 1;
    }
    return w;
  }

  /** {@code rows} rows of seeded values in [-3, 3] in double columns {@code names}, plus an id. */
  public static Dataset<Row> numeric(int rows, long seed, String... names) {
    Random r = new Random(seed);
    List<Row> data = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      Object[] v = new Object[names.length + 1];
      v[0] = (long) i;
      for (int j = 0; j < names.length; j++) {
        v[j + 1] = 6 * r.nextDouble() - 3;
      }
      data.add(RowFactory.create(v));
    }
    List<StructField> fields = new ArrayList<>();
    fields.add(DataTypes.createStructField("id", DataTypes.LongType, false));
    for (String n : names) {
      fields.add(DataTypes.createStructField(n, DataTypes.DoubleType, true));
    }
    return SparkTestSession.get().createDataFrame(data, new StructType(fields.toArray(new StructField[0])));
  }
}
