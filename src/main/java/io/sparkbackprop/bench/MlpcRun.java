package io.sparkbackprop.bench;

import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Spark ML's {@code MultilayerPerceptronClassifier} (L-BFGS, sigmoid hidden layers, softmax output)
 * on the same cached data and the same Spark, for comparison. L-BFGS does not report accuracy per
 * iteration, so each {@code maxIter} is a separate fit from the same seed; {@code seconds} is the
 * wall time of that fit alone.
 */
final class MlpcRun {
  record Result(int maxIter, int iterations, double seconds, double testAccuracy) {
  }

  private MlpcRun() {
  }

  static Result fit(Dataset<Row> train, Dataset<Row> test, int[] layers, int maxIter, long seed) {
    MultilayerPerceptronClassifier mlpc = new MultilayerPerceptronClassifier()
        .setLayers(layers).setMaxIter(maxIter).setSeed(seed);
    long t0 = System.nanoTime();
    MultilayerPerceptronClassificationModel model = mlpc.fit(train);
    double seconds = (System.nanoTime() - t0) / 1e9;
    int iterations = model.summary().totalIterations();
    double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy")
        .evaluate(model.transform(test));
    return new Result(maxIter, iterations, seconds, accuracy);
  }
}
