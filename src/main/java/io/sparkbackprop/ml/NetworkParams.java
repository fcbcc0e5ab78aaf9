package io.sparkbackprop.ml;

import io.sparkbackprop.nn.Activation;
import io.sparkbackprop.nn.LayerSpec;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;

/**
 * The training params that {@link NeuralNetClassifier} and {@link NeuralNetRegressor} share, one
 * per key of the training config (docs/spark-ml-api.md has the mapping; {@code explainParams()}
 * the docs and defaults): the network here, the optimizer and schedule in
 * {@link OptimizerParams}. Each has an accessor (Spark finds params through their public
 * no-argument accessors), a getter and a fluent setter. The Param objects, validators and
 * defaults are in {@link NetworkParamSet}.
 *
 * @param <T> the implementing estimator, returned by the setters
 */
public interface NetworkParams<T extends NetworkParams<T>> extends OptimizerParams<T> {

  /** Sets the hidden layers, e.g. {@code setHiddenLayers(LayerSpec.dense(64, Activation.RELU))}. */
  default T setHiddenLayers(LayerSpec... layers) {
    return setHiddenLayers(LayerSpecs.format(Arrays.asList(layers)));
  }

  /** Sets relu hidden layers of these sizes, e.g. {@code setHiddenLayers(64, 32)}. */
  default T setHiddenLayers(int... units) {
    return setHiddenLayers(LayerSpecs.format(Arrays.stream(units)
        .mapToObj(u -> LayerSpec.dense(u, Activation.RELU)).toList()));
  }

  /** The hidden layers, parsed. */
  default List<LayerSpec> getHiddenLayerSpecs() {
    return LayerSpecs.parse(getHiddenLayers());
  }

  /** Param: the hidden layers as text, e.g. {@code "64:relu,32:tanh:nobias"}; see {@link LayerSpecs}. */
  default Param<String> hiddenLayers() {
    return networkParamSet().hiddenLayers;
  }

  default String getHiddenLayers() {
    return getOrDefault(hiddenLayers());
  }

  @SuppressWarnings("unchecked")
  default T setHiddenLayers(String value) {
    return (T) set(hiddenLayers(), value);
  }

  /** Param: the output layer's activation, or {@code auto}. */
  default Param<String> outputActivation() {
    return networkParamSet().outputActivation;
  }

  default String getOutputActivation() {
    return getOrDefault(outputActivation());
  }

  @SuppressWarnings("unchecked")
  default T setOutputActivation(String value) {
    return (T) set(outputActivation(), value);
  }

  /** Param: whether the output layer has a bias. */
  default BooleanParam outputBias() {
    return networkParamSet().outputBias;
  }

  default boolean getOutputBias() {
    return (Boolean) getOrDefault(outputBias());
  }

  @SuppressWarnings("unchecked")
  default T setOutputBias(boolean value) {
    return (T) set(outputBias(), value);
  }

  /** Param: weight initialisation: xavier, he or uniform. */
  default Param<String> init() {
    return networkParamSet().init;
  }

  default String getInit() {
    return getOrDefault(init());
  }

  @SuppressWarnings("unchecked")
  default T setInit(String value) {
    return (T) set(init(), value);
  }

  /** Param: mean or sum of the per-row losses. */
  default Param<String> lossReduction() {
    return networkParamSet().lossReduction;
  }

  default String getLossReduction() {
    return getOrDefault(lossReduction());
  }

  @SuppressWarnings("unchecked")
  default T setLossReduction(String value) {
    return (T) set(lossReduction(), value);
  }

  /** Param: passes over the training rows. */
  default IntParam epochs() {
    return networkParamSet().epochs;
  }

  default int getEpochs() {
    return (Integer) getOrDefault(epochs());
  }

  @SuppressWarnings("unchecked")
  default T setEpochs(int value) {
    return (T) set(epochs(), value);
  }

  /** Param: global mini-batch size in rows; 0 = full batch. */
  default IntParam batchSize() {
    return networkParamSet().batchSize;
  }

  default int getBatchSize() {
    return (Integer) getOrDefault(batchSize());
  }

  @SuppressWarnings("unchecked")
  default T setBatchSize(int value) {
    return (T) set(batchSize(), value);
  }

  /** Param: seed of initialisation, shuffling and the validation split. */
  default LongParam seed() {
    return networkParamSet().seed;
  }

  default long getSeed() {
    return (Long) getOrDefault(seed());
  }

  @SuppressWarnings("unchecked")
  default T setSeed(long value) {
    return (T) set(seed(), value);
  }

  /** Param: fraction of rows held out for validation; 0 = none. */
  default DoubleParam validationFraction() {
    return networkParamSet().validationFraction;
  }

  default double getValidationFraction() {
    return (Double) getOrDefault(validationFraction());
  }

  @SuppressWarnings("unchecked")
  default T setValidationFraction(double value) {
    return (T) set(validationFraction(), value);
  }

  /** Param: validationLoss, validationAccuracy or validationRmse; not set = off. */
  default Param<String> earlyStoppingMetric() {
    return networkParamSet().earlyStoppingMetric;
  }

  default String getEarlyStoppingMetric() {
    return getOrDefault(earlyStoppingMetric());
  }

  @SuppressWarnings("unchecked")
  default T setEarlyStoppingMetric(String value) {
    return (T) set(earlyStoppingMetric(), value);
  }

  /** Param: epochs without improvement before stopping. */
  default IntParam earlyStoppingPatience() {
    return networkParamSet().earlyStoppingPatience;
  }

  default int getEarlyStoppingPatience() {
    return (Integer) getOrDefault(earlyStoppingPatience());
  }

  @SuppressWarnings("unchecked")
  default T setEarlyStoppingPatience(int value) {
    return (T) set(earlyStoppingPatience(), value);
  }

  /** Param: smallest change that counts as an improvement. */
  default DoubleParam earlyStoppingMinDelta() {
    return networkParamSet().earlyStoppingMinDelta;
  }

  default double getEarlyStoppingMinDelta() {
    return (Double) getOrDefault(earlyStoppingMinDelta());
  }

  @SuppressWarnings("unchecked")
  default T setEarlyStoppingMinDelta(double value) {
    return (T) set(earlyStoppingMinDelta(), value);
  }

  /** Param: standardise the features with the training rows' mean and std. */
  default BooleanParam standardize() {
    return networkParamSet().standardize;
  }

  default boolean getStandardize() {
    return (Boolean) getOrDefault(standardize());
  }

  @SuppressWarnings("unchecked")
  default T setStandardize(boolean value) {
    return (T) set(standardize(), value);
  }

  /** Param: what to do with invalid rows, {@code error} or {@code skip} (as Spark ML's handleInvalid). */
  default Param<String> handleInvalid() {
    return networkParamSet().handleInvalid;
  }

  default String getHandleInvalid() {
    return getOrDefault(handleInvalid());
  }

  @SuppressWarnings("unchecked")
  default T setHandleInvalid(String value) {
    return (T) set(handleInvalid(), value);
  }

  /** Param: partitions to train on; 0 = the input's. */
  default IntParam partitions() {
    return networkParamSet().partitions;
  }

  default int getPartitions() {
    return (Integer) getOrDefault(partitions());
  }

  @SuppressWarnings("unchecked")
  default T setPartitions(int value) {
    return (T) set(partitions(), value);
  }

  /** Param: depth of the gradient treeAggregate. */
  default IntParam aggregationDepth() {
    return networkParamSet().aggregationDepth;
  }

  default int getAggregationDepth() {
    return (Integer) getOrDefault(aggregationDepth());
  }

  @SuppressWarnings("unchecked")
  default T setAggregationDepth(int value) {
    return (T) set(aggregationDepth(), value);
  }

  /** Param: float32 or float64 arithmetic of the forward and backward passes. */
  default Param<String> precision() {
    return networkParamSet().precision;
  }

  default String getPrecision() {
    return getOrDefault(precision());
  }

  @SuppressWarnings("unchecked")
  default T setPrecision(String value) {
    return (T) set(precision(), value);
  }

  /** Param: how each step's gradient sums and weights travel (treeAggregate or persistentTasks). */
  default Param<String> exchange() {
    return networkParamSet().exchange;
  }

  default String getExchange() {
    return getOrDefault(exchange());
  }

  @SuppressWarnings("unchecked")
  default T setExchange(String value) {
    return (T) set(exchange(), value);
  }
}
