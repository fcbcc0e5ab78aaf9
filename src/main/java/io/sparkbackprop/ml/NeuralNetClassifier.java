package io.sparkbackprop.ml;

import io.sparkbackprop.config.TrainConfig;
import io.sparkbackprop.model.SavedModel;
import io.sparkbackprop.nn.Activation;
import io.sparkbackprop.nn.LayerSpec;
import io.sparkbackprop.nn.LossType;
import io.sparkbackprop.train.TrainRun;
import java.util.Arrays;
import org.apache.spark.ml.classification.ProbabilisticClassifier;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;

/**
 * A feed-forward network classifier trained data-parallel by spark-backprop's trainer (the one
 * {@code jobs/train.sh} runs), for Spark ML pipelines, CrossValidator and persistence.
 *
 * <p>Input: a vector column {@code featuresCol} and a label column {@code labelCol} of class indices
 * {@code 0..K-1} (Spark's convention; StringIndexer makes them). The number of classes K comes
 * from the label column's metadata when it has some (StringIndexer writes it), else from the
 * largest label + 1 (as Spark's classifiers infer it, at most 100). The network is
 * {@code hiddenLayers} followed by an output layer the task needs: K softmax units for
 * {@code crossEntropy} (the default), one sigmoid unit for {@code binaryCrossEntropy} (K = 2), K
 * units of {@code outputActivation} (sigmoid under {@code auto}) for {@code mse} on one-hot targets.
 *
 * <p>Output columns, as Spark's probabilistic classifiers: {@code rawPredictionCol} (the output
 * layer's logits; {@code [-z, z]} for one sigmoid unit), {@code probabilityCol},
 * {@code predictionCol} (arg max of the probabilities, or {@code thresholds} as Spark applies them).
 * Per-row weights ({@code weightCol}) are not supported.
 *
 * <pre>
 *   NeuralNetClassifier nn = new NeuralNetClassifier()
 *       .setHiddenLayers("16:relu").setOptimizer("adam").setLearningRate(0.01).setEpochs(50);
 * </pre>
 */
public class NeuralNetClassifier
    extends ProbabilisticClassifier<Vector, NeuralNetClassifier, NeuralNetClassificationModel>
    implements NetworkParams<NeuralNetClassifier>, DefaultParamsWritable {
  private static final long serialVersionUID = 1L;
  /** As Spark's classifiers: beyond this many classes, give the label column metadata (StringIndexer). */
  private static final int MAX_INFERRED_CLASSES = 100;

  /** Null while the Scala superclass constructor runs; see {@link PendingUid}. */
  private final String uid;
  private final NetworkParamSet params;
  private final Param<String> loss;

  public NeuralNetClassifier() {
    this(Identifiable.randomUID("nnClassifier"));
  }

  public NeuralNetClassifier(String uid) {
    this(PendingUid.of(uid));
  }

  private NeuralNetClassifier(PendingUid pending) {
    super();
    this.uid = pending.done();
    this.params = new NetworkParamSet(this);
    String[] losses = NetworkParamSet.names(LossType.values(), LossType::configName);
    this.loss = new Param<>(this, "loss", "training loss: one of " + Arrays.toString(losses)
        + " (mse on one-hot targets)", ParamValidators.inArray(Arrays.asList(losses)));
    setDefault(loss, LossType.CROSS_ENTROPY.configName());
  }

  @Override
  public String uid() {
    return uid != null ? uid : PendingUid.current();
  }

  @Override
  public NetworkParamSet networkParamSet() {
    return params;
  }

  /** Param: the training loss, crossEntropy (default), binaryCrossEntropy or mse. */
  public Param<String> loss() {
    return loss;
  }

  public String getLoss() {
    return getOrDefault(loss);
  }

  public NeuralNetClassifier setLoss(String value) {
    return (NeuralNetClassifier) set(loss, value);
  }

  @Override
  public NeuralNetClassificationModel train(Dataset<?> dataset) {
    int classes = getNumClasses(dataset, MAX_INFERRED_CLASSES);
    TrainConfig config = TrainConfigs.build(this, getFeaturesCol(), getLabelCol(), getLoss(),
        outputLayer(classes));
    TrainRun.Outcome outcome = Training.run(dataset, config, uid());
    SavedModel model = outcome.model().toBuilder()
        .labels(Training.classNames(dataset.schema().apply(getLabelCol()), classes)).build();
    return new NeuralNetClassificationModel(uid(), model, TrainingSummary.of(outcome));
  }

  /** The output layer for {@code classes} classes under this loss and {@code outputActivation}. */
  LayerSpec outputLayer(int classes) {
    LossType lossType = LossType.fromConfigName(getLoss());
    if (classes < 2) {
      throw new IllegalArgumentException(uid() + ": the label column '" + getLabelCol() + "' has "
          + classes + " class; a classifier needs at least 2");
    }
    if (lossType == LossType.BINARY_CROSS_ENTROPY && classes != 2) {
      throw new IllegalArgumentException(uid() + ": loss binaryCrossEntropy needs 2 classes, the label "
          + "column '" + getLabelCol() + "' has " + classes + " (use crossEntropy)");
    }
    String act = getOutputActivation();
    Activation activation = !act.equals(NetworkParamSet.AUTO) ? Activation.fromConfigName(act)
        : lossType == LossType.CROSS_ENTROPY ? Activation.SOFTMAX : Activation.SIGMOID;
    int units = lossType == LossType.BINARY_CROSS_ENTROPY ? 1 : classes;
    return new LayerSpec(units, activation, getOutputBias());
  }

  @Override
  public NeuralNetClassifier copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  public static MLReader<NeuralNetClassifier> read() {
    return new DefaultParamsReader<>();
  }

  public static NeuralNetClassifier load(String path) {
    return read().load(path);
  }
}
