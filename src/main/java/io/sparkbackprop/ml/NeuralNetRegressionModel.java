package io.sparkbackprop.ml;

import io.sparkbackprop.model.Features;
import io.sparkbackprop.model.SavedModel;
import io.sparkbackprop.score.ModelScorer;
import io.sparkbackprop.score.RowScorer;
import io.sparkbackprop.score.ScoreColumns;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.RegressionModel;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * A fitted {@link NeuralNetRegressor}. {@link #transform} scores through {@link ModelScorer}, the
 * engine of {@code jobs/predict.sh}; {@link #predict} scores one vector with the same rules.
 * Persistence as {@link NeuralNetClassificationModel}'s: Spark ML metadata plus the model directory
 * in {@code path/data}.
 */
public class NeuralNetRegressionModel extends RegressionModel<Vector, NeuralNetRegressionModel>
    implements MLWritable {
  private static final long serialVersionUID = 1L;

  /** Null while the Scala superclass constructor runs; see {@link PendingUid}. */
  private final String uid;
  private final SavedModel model;
  private final TrainingSummary summary;
  private transient RowScorer rows;

  NeuralNetRegressionModel(String uid, SavedModel model, TrainingSummary summary) {
    this(PendingUid.of(uid), model, summary);
  }

  private NeuralNetRegressionModel(PendingUid pending, SavedModel model, TrainingSummary summary) {
    super();
    this.uid = pending.done();
    this.model = model;
    this.summary = summary;
    if (rowScorer().isClassifier()) {
      throw new IllegalArgumentException("the model is a classifier; use NeuralNetClassificationModel");
    }
  }

  /** A model directory of {@code jobs/train.sh} as a regression model; see the classifier's. */
  public static NeuralNetRegressionModel fromModelDirectory(String dir) {
    return ModelIO.fromModelDirectory(dir, (uid, m, s) -> new NeuralNetRegressionModel(uid, m, s),
        "nnRegressor");
  }

  @Override
  public String uid() {
    return uid != null ? uid : PendingUid.current();
  }

  /** The network, its weights and provenance, as {@code jobs/train.sh} would save them. */
  public SavedModel savedModel() {
    return model;
  }

  /** Whether {@link #summary} is available (after fit, and after load of a model saved with one). */
  public boolean hasSummary() {
    return summary != null;
  }

  /** The training history and final metrics; see {@link #hasSummary}. */
  public TrainingSummary summary() {
    if (summary == null) {
      throw new IllegalStateException("no training summary for " + uid() + " (it was not trained here, "
          + "and its model directory has no history.jsonl and metrics.json)");
    }
    return summary;
  }

  @Override
  public int numFeatures() {
    return model.network().inputSize();
  }

  @Override
  public double predict(Vector features) {
    return rowScorer().prediction(features.toArray());
  }

  @Override
  public StructType transformSchema(StructType schema) {
    return scorer().transformSchema(schema);
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    return scorer().transform(dataset.toDF());
  }

  private ModelScorer scorer() {
    return ModelScorer.of(model).withFeatures(Features.vector(getFeaturesCol(), numFeatures()))
        .withColumns(new ScoreColumns(null, null, getPredictionCol(), null)).describedAs(uid());
  }

  private RowScorer rowScorer() {
    if (rows == null) {
      rows = RowScorer.of(model);
    }
    return rows;
  }

  @Override
  public NeuralNetRegressionModel copy(ParamMap extra) {
    return copyValues(new NeuralNetRegressionModel(uid(), model, summary), extra).setParent(parent());
  }

  @Override
  public MLWriter write() {
    return new ModelIO.Writer(this, model, summary);
  }

  public static MLReader<NeuralNetRegressionModel> read() {
    return new ModelIO.Reader<>(NeuralNetRegressionModel.class,
        (uid, m, s) -> new NeuralNetRegressionModel(uid, m, s));
  }

  public static NeuralNetRegressionModel load(String path) {
    return read().load(path);
  }

  @Override
  public String toString() {
    return "NeuralNetRegressionModel: uid=" + uid() + ", numFeatures=" + numFeatures() + ", layers="
        + LayerSpecs.format(model.network().layers());
  }
}
