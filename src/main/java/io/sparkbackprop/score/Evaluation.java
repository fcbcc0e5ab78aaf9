package io.sparkbackprop.score;

import io.sparkbackprop.data.DataException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.mllib.evaluation.BinaryClassificationMetrics;
import org.apache.spark.mllib.evaluation.MulticlassMetrics;
import org.apache.spark.mllib.evaluation.RegressionMetrics;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import scala.Product;
import scala.Tuple2;
import scala.Tuple4;

/**
 * Metrics of a model on labelled data, as a JSON-ready map (insertion-ordered; a figure that is
 * undefined, e.g. r2 of a constant label, is null).
 *
 * <p>Classification: {@code rows, numClasses, classes, accuracy, logLoss, weightedPrecision,
 * weightedRecall, weightedF1}, for two classes {@code areaUnderROC, areaUnderPR}, then
 * {@code perClass} (precision, recall, f1, support, keyed by class name) and
 * {@code confusionMatrix} (rows = true class, columns = predicted class, both in {@code classes}
 * order). Regression: {@code rows, rmse, mse, mae, r2}.
 *
 * <p>The figures come from Spark's mllib metrics classes, the ones behind Spark ML's evaluators:
 * {@link MulticlassMetrics} (accuracy, logLoss with Spark's clipping at 1e-15, weighted and
 * per-class figures), {@link BinaryClassificationMetrics} with the probability of class 1 as the
 * score and exact curves (numBins 0, where BinaryClassificationEvaluator's default bins to 1000),
 * {@link RegressionMetrics}. Computed here: the confusion matrix over all the model's classes
 * (MulticlassMetrics' covers only classes that occur as true labels) and the per-class figures of
 * a class that never occurs as a true label: recall and f1 are then undefined (null), precision 0
 * if the class was predicted (all false positives), else null.
 */
public final class Evaluation {
  /** MulticlassMetrics' own default clipping of probabilities in logLoss. */
  static final double LOG_LOSS_EPS = 1e-15;
  private static final String PREDICTION = "__sbp_prediction";
  private static final String PROBABILITY = "__sbp_probability";

  private Evaluation() {
  }

  /**
   * Scores {@code input} and measures the predictions against column {@code label}: numeric class
   * indices or, when the model has label names, strings among them; numbers for regression.
   */
  public static Map<String, Object> evaluate(ModelScorer scorer, Dataset<Row> input, String label) {
    String what = scorer.inputName();
    StructField field = field(input, label, what);
    List<String> names = null;
    if (field.dataType() instanceof StringType && scorer.isClassifier()) {
      if (scorer.model().labels() == null) {
        throw new DataException(what + ": label column '" + label + "' holds strings but the model has no label"
            + " names to map them to class indices; give a column of class indices 0.." + (scorer.numClasses() - 1));
      }
      names = scorer.model().labels();
    } else if (!(field.dataType() instanceof NumericType)) {
      throw new DataException(what + ": label column '" + label + "' must be numeric"
          + (scorer.isClassifier() && scorer.model().labels() != null ? " or one of the model's label names" : "")
          + ", is " + field.dataType().simpleString());
    }
    // Only the columns scoring reads, so no unrelated column is copied or clashes with ours.
    Set<String> needed = new LinkedHashSet<>(scorer.features().isVector()
        ? List.of(scorer.features().vectorColumn()) : scorer.features().columns());
    needed.add(label);
    Dataset<Row> slim = input.select(needed.stream().map(Evaluation::col).toArray(Column[]::new));
    boolean classifier = scorer.isClassifier();
    Dataset<Row> scored = scorer.withColumns(new ScoreColumns(null, classifier ? PROBABILITY : null, PREDICTION, null))
        .transform(slim);
    Column[] out = classifier ? new Column[] {col(PREDICTION), col(PROBABILITY), col(label)}
        : new Column[] {col(PREDICTION), col(label)};
    JavaRDD<Product> tuples = scored.select(out).javaRDD()
        .mapPartitionsWithIndex(new LabelReader(label, scorer.numClasses(), names, what), true).cache();
    try {
      return classifier ? classification(tuples, scorer.classNames(), what) : regression(tuples, what);
    } finally {
      tuples.unpersist(false);
    }
  }

  private static Map<String, Object> classification(JavaRDD<Product> tuples, List<String> classes, String what) {
    int k = classes.size();
    long[] confusion = tuples.aggregate(new long[k * k], (counts, t) -> {
      Tuple4<?, ?, ?, ?> row = (Tuple4<?, ?, ?, ?>) t;
      int label = ((Double) row._2()).intValue();
      int predicted = ((Double) row._1()).intValue();
      counts[label * k + predicted]++;
      return counts;
    }, (a, b) -> {
      for (int i = 0; i < a.length; i++) {
        a[i] += b[i];
      }
      return a;
    });
    long rows = Arrays.stream(confusion).sum();
    if (rows == 0) {
      throw new DataException(what + ": has no rows to evaluate");
    }
    MulticlassMetrics m = new MulticlassMetrics(tuples.rdd());
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("task", "classification");
    r.put("rows", rows);
    r.put("numClasses", k);
    r.put("classes", classes);
    r.put("accuracy", finite(m.accuracy()));
    r.put("logLoss", finite(m.logLoss(LOG_LOSS_EPS)));
    r.put("weightedPrecision", finite(m.weightedPrecision()));
    r.put("weightedRecall", finite(m.weightedRecall()));
    r.put("weightedF1", finite(m.weightedFMeasure()));
    if (k == 2) {
      JavaRDD<Tuple2<Object, Object>> scores = tuples.map(t -> {
        Tuple4<?, ?, ?, ?> row = (Tuple4<?, ?, ?, ?>) t;
        return new Tuple2<>(((double[]) row._4())[1], row._2());
      });
      BinaryClassificationMetrics b = new BinaryClassificationMetrics(scores.rdd(), 0);
      r.put("areaUnderROC", finite(b.areaUnderROC()));
      r.put("areaUnderPR", finite(b.areaUnderPR()));
      b.unpersist();
    }
    Set<Double> present = new LinkedHashSet<>();
    for (double l : m.labels()) {
      present.add(l);
    }
    Map<String, Object> perClass = new LinkedHashMap<>();
    List<List<Long>> matrix = new ArrayList<>();
    for (int c = 0; c < k; c++) {
      long support = 0;
      long predicted = 0;
      List<Long> line = new ArrayList<>();
      for (int j = 0; j < k; j++) {
        support += confusion[c * k + j];
        predicted += confusion[j * k + c];
        line.add(confusion[c * k + j]);
      }
      matrix.add(line);
      Map<String, Object> figures = new LinkedHashMap<>();
      boolean occurs = present.contains((double) c);
      figures.put("precision", occurs ? finite(m.precision(c)) : predicted > 0 ? 0.0 : null);
      figures.put("recall", occurs ? finite(m.recall(c)) : null);
      figures.put("f1", occurs ? finite(m.fMeasure(c)) : null);
      figures.put("support", support);
      perClass.put(classes.get(c), figures);
    }
    r.put("perClass", perClass);
    r.put("confusionMatrix", matrix);
    return r;
  }

  private static Map<String, Object> regression(JavaRDD<Product> tuples, String what) {
    RegressionMetrics m = new RegressionMetrics(tuples.rdd(), false);
    if (m.count() == 0) {
      throw new DataException(what + ": has no rows to evaluate");
    }
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("task", "regression");
    r.put("rows", m.count());
    r.put("rmse", finite(m.rootMeanSquaredError()));
    r.put("mse", finite(m.meanSquaredError()));
    r.put("mae", finite(m.meanAbsoluteError()));
    r.put("r2", finite(m.r2()));
    return r;
  }

  private static StructField field(Dataset<Row> input, String name, String what) {
    for (StructField f : input.schema().fields()) {
      if (f.name().equals(name)) {
        return f;
      }
    }
    throw new DataException(what + ": no label column '" + name + "'; columns are "
        + List.of(input.schema().fieldNames()));
  }

  /** JSON has no NaN or infinity: an undefined figure is null. */
  private static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }

  private static Column col(String name) {
    return functions.col("`" + name.replace("`", "``") + "`");
  }
}
