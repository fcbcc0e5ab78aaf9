package io.sparkbackprop.ml;

import io.sparkbackprop.model.Features;
import io.sparkbackprop.model.SavedModel;
import io.sparkbackprop.score.ModelScorer;
import io.sparkbackprop.score.RowScorer;
import io.sparkbackprop.score.ScoreColumns;
import org.apache.spark.ml.classification.ProbabilisticClassificationModel;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * A fitted {@link NeuralNetClassifier}: a {@link SavedModel} with Spark ML's classifier columns.
 * {@link #transform} scores through {@link ModelScorer} (batched BLAS forward passes, the engine of
 * {@code jobs/predict.sh}), so both give the same numbers; {@code predict}, {@code predictRaw} and
 * {@code predictProbability} score one vector with the same rules.
 *
 * <p>Saved with {@code write().save(path)} as Spark ML metadata plus the project's model directory
 * in {@code path/data}, which {@code jobs/predict.sh --model path/data} reads; a model directory
 * written by {@code jobs/train.sh} becomes a model with {@link #fromModelDirectory}.
 */
public class NeuralNetClassificationModel
    extends ProbabilisticClassificationModel<Vector, NeuralNetClassificationModel>
    implements MLWritable {
  private static final long serialVersionUID = 1L;

  /** Null while the Scala superclass constructor runs; see {@link PendingUid}. */
  private final String uid;
  private final SavedModel model;
  private final TrainingSummary summary;
  private transient RowScorer rows;

  NeuralNetClassificationModel(String uid, SavedModel model, TrainingSummary summary) {
    this(PendingUid.of(uid), model, summary);
  }

  private NeuralNetClassificationModel(PendingUid pending, SavedModel model, TrainingSummary summary) {
    super();
    this.uid = pending.done();
    this.model = model;
    this.summary = summary;
    if (!rowScorer().isClassifier()) {
      throw new IllegalArgumentException("the model is a regression model; use NeuralNetRegressionModel");
    }
  }

  /**
   * A model directory written by {@code jobs/train.sh} (or saved here, {@code path/data}) as a
   * classification model of the active session. It reads the vector column {@code featuresCol}
   * (default {@code features}), whose elements must be the model's features in its order
   * (model.json {@code features}).
   */
  public static NeuralNetClassificationModel fromModelDirectory(String dir) {
    return ModelIO.fromModelDirectory(dir, (uid, m, s) -> new NeuralNetClassificationModel(uid, m, s),
        "nnClassifier");
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
  public int numClasses() {
    return rowScorer().numClasses();
  }

  @Override
  public int numFeatures() {
    return model.network().inputSize();
  }

  @Override
  public Vector predictRaw(Vector features) {
    return Vectors.dense(rowScorer().rawPrediction(features.toArray()));
  }

  @Override
  public Vector raw2probabilityInPlace(Vector rawPrediction) {
    double[] p = rowScorer().probabilityFromRaw(rawPrediction.toArray());
    if (rawPrediction instanceof DenseVector dv) {
      System.arraycopy(p, 0, dv.values(), 0, p.length);
      return dv;
    }
    return Vectors.dense(p);
  }

  @Override
  public double predict(Vector features) {
    // Without thresholds, the scorer's rule (arg max, or p >= 0.5 for one sigmoid unit), as transform.
    return isDefined(thresholds()) ? probability2prediction(predictProbability(features))
        : rowScorer().prediction(features.toArray());
  }

  /**
   * Spark's own, re-declared only because javac sees two inherited versions (Scala's covariant
   * override of {@code ClassificationModel.findSummaryModel} is not one in Java's generics).
   */
  @Override
  @SuppressWarnings({"rawtypes", "unchecked"})
  public scala.Tuple3 findSummaryModel() {
    return super.findSummaryModel();
  }

  @Override
  public StructType transformSchema(StructType schema) {
    return ClassifierTransform.transformSchema(this, schema);
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    return ClassifierTransform.transform(this, dataset);
  }

  /** The batched scorer reading {@code featuresCol}, writing {@code columns}. */
  ModelScorer scorer(ScoreColumns columns) {
    return ModelScorer.of(model).withFeatures(Features.vector(getFeaturesCol(), numFeatures()))
        .withColumns(columns).describedAs(uid());
  }

  private RowScorer rowScorer() {
    if (rows == null) {
      rows = RowScorer.of(model);
    }
    return rows;
  }

  @Override
  public NeuralNetClassificationModel copy(ParamMap extra) {
    return copyValues(new NeuralNetClassificationModel(uid(), model, summary), extra).setParent(parent());
  }

  @Override
  public MLWriter write() {
    return new ModelIO.Writer(this, model, summary);
  }

  public static MLReader<NeuralNetClassificationModel> read() {
    return new ModelIO.Reader<>(NeuralNetClassificationModel.class,
        (uid, m, s) -> new NeuralNetClassificationModel(uid, m, s));
  }

  public static NeuralNetClassificationModel load(String path) {
    return read().load(path);
  }

  @Override
  public String toString() {
    return "NeuralNetClassificationModel: uid=" + uid() + ", numClasses=" + numClasses() + ", numFeatures="
        + numFeatures() + ", layers=" + LayerSpecs.format(model.network().layers());
  }
}
