package io.sparkbackprop.ml;

import io.sparkbackprop.score.ScoreColumns;
import java.util.Arrays;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructType;

/**
 * {@link NeuralNetClassificationModel#transform}: {@link io.sparkbackprop.score.ModelScorer} writes
 * {@code rawPredictionCol}, {@code probabilityCol} and {@code predictionCol} (an empty name leaves
 * a column out, as in Spark ML). With {@code thresholds} set, the prediction comes from the
 * probabilities by Spark's rule instead: the class with the largest {@code p_k / t_k}.
 */
final class ClassifierTransform {
  /** Holds the probabilities when thresholds need them but probabilityCol is empty; dropped after. */
  private static final String TEMP_PROBABILITY = "__nnClassifier_probability";

  private ClassifierTransform() {
  }

  static StructType transformSchema(NeuralNetClassificationModel m, StructType schema) {
    return m.scorer(new ScoreColumns(m.getRawPredictionCol(), m.getProbabilityCol(), m.getPredictionCol(),
        null)).transformSchema(schema);
  }

  static Dataset<Row> transform(NeuralNetClassificationModel m, Dataset<?> dataset) {
    Dataset<Row> df = dataset.toDF();
    if (!m.isDefined(m.thresholds()) || m.getPredictionCol().isEmpty()) {
      return m.scorer(new ScoreColumns(m.getRawPredictionCol(), m.getProbabilityCol(), m.getPredictionCol(),
          null)).transform(df);
    }
    double[] thresholds = m.getThresholds();
    if (thresholds.length != m.numClasses()) {
      // Spark's own message for this mistake.
      throw new IllegalArgumentException("NeuralNetClassificationModel.transform() called with non-matching "
          + "numClasses and thresholds.length. numClasses=" + m.numClasses() + ", but thresholds has length "
          + thresholds.length);
    }
    Metadata predictionMeta = transformSchema(m, df.schema()).apply(m.getPredictionCol()).metadata();
    String probability = m.getProbabilityCol().isEmpty() ? TEMP_PROBABILITY : m.getProbabilityCol();
    Dataset<Row> scored = m.scorer(new ScoreColumns(m.getRawPredictionCol(), probability, null, null))
        .transform(df);
    Column prediction = functions.udf(new ThresholdPrediction(thresholds), DataTypes.DoubleType)
        .apply(functions.col(probability));
    scored = scored.withColumn(m.getPredictionCol(), prediction, predictionMeta);
    return probability.equals(TEMP_PROBABILITY) ? scored.drop(TEMP_PROBABILITY) : scored;
  }

  /** Spark's {@code probability2prediction} with thresholds, as a UDF on the probability column. */
  static final class ThresholdPrediction implements UDF1<Vector, Double> {
    private static final long serialVersionUID = 1L;
    private final double[] thresholds;

    ThresholdPrediction(double[] thresholds) {
      this.thresholds = Arrays.copyOf(thresholds, thresholds.length);
    }

    @Override
    public Double call(Vector probability) {
      // At most one threshold may be 0: its class wins (p / 0 = +inf) unless its p is 0 too (NaN).
      int best = 0;
      double max = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < probability.size(); i++) {
        double scaled = probability.apply(i) / thresholds[i];
        if (scaled > max) {
          max = scaled;
          best = i;
        }
      }
      return (double) best;
    }
  }
}
