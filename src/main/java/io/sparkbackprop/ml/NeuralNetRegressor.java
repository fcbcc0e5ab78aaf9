package io.sparkbackprop.ml;

import io.sparkbackprop.config.TrainConfig;
import io.sparkbackprop.nn.Activation;
import io.sparkbackprop.nn.LayerSpec;
import io.sparkbackprop.nn.LossType;
import io.sparkbackprop.train.TrainRun;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.Regressor;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;

/**
 * A feed-forward network regressor trained by spark-backprop's trainer (the one
 * {@code jobs/train.sh} runs), for Spark ML pipelines, CrossValidator and persistence.
 *
 * <p>Input: a vector column {@code featuresCol} and a numeric label column {@code labelCol}. The
 * network is {@code hiddenLayers} followed by one output unit of {@code outputActivation}
 * ({@code auto} = linear); the loss is mse. Output: {@code predictionCol}. Per-row weights
 * ({@code weightCol}) are not supported.
 */
public class NeuralNetRegressor extends Regressor<Vector, NeuralNetRegressor, NeuralNetRegressionModel>
    implements NetworkParams<NeuralNetRegressor>, DefaultParamsWritable {
  private static final long serialVersionUID = 1L;

  /** Null while the Scala superclass constructor runs; see {@link PendingUid}. */
  private final String uid;
  private final NetworkParamSet params;

  public NeuralNetRegressor() {
    this(Identifiable.randomUID("nnRegressor"));
  }

  public NeuralNetRegressor(String uid) {
    this(PendingUid.of(uid));
  }

  private NeuralNetRegressor(PendingUid pending) {
    super();
    this.uid = pending.done();
    this.params = new NetworkParamSet(this);
  }

  @Override
  public String uid() {
    return uid != null ? uid : PendingUid.current();
  }

  @Override
  public NetworkParamSet networkParamSet() {
    return params;
  }

  @Override
  public NeuralNetRegressionModel train(Dataset<?> dataset) {
    TrainConfig config = TrainConfigs.build(this, getFeaturesCol(), getLabelCol(), LossType.MSE.configName(),
        outputLayer());
    TrainRun.Outcome outcome = Training.run(dataset, config, uid());
    return new NeuralNetRegressionModel(uid(), outcome.model(), TrainingSummary.of(outcome));
  }

  /** One unit of {@code outputActivation} (linear under auto). */
  LayerSpec outputLayer() {
    String act = getOutputActivation();
    return new LayerSpec(1, act.equals(NetworkParamSet.AUTO) ? Activation.LINEAR : Activation.fromConfigName(act),
        getOutputBias());
  }

  @Override
  public NeuralNetRegressor copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  public static MLReader<NeuralNetRegressor> read() {
    return new DefaultParamsReader<>();
  }

  public static NeuralNetRegressor load(String path) {
    return read().load(path);
  }
}
