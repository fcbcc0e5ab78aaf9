package io.sparkbackprop.ml;

import io.sparkbackprop.optim.OptimizerSpec;
import io.sparkbackprop.optim.OptimizerType;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * The optimizer and learning-rate-schedule params of {@link NetworkParams}: accessor, getter and
 * fluent setter of each (Spark finds params through their public no-argument accessors). The
 * Param objects, validators and defaults are in {@link NetworkParamSet}.
 *
 * <p>The hyperparameters {@code learningRate, momentum, beta1, beta2, epsilon, weightDecay, alpha}
 * have no fixed default: unless set, the optimizer type's own applies (PyTorch's, see
 * {@link OptimizerSpec#defaults}), and their getters return that value.
 *
 * @param <T> the implementing estimator, returned by the setters
 */
public interface OptimizerParams<T extends OptimizerParams<T>> extends Params {

  /** The Param objects; an implementation detail behind the accessors. */
  NetworkParamSet networkParamSet();

  /** The optimizer's hyperparameters: the set ones over the optimizer type's defaults. */
  default OptimizerSpec getOptimizerSpec() {
    NetworkParamSet p = networkParamSet();
    OptimizerSpec s = OptimizerSpec.defaults(OptimizerType.fromConfigName(getOptimizer()));
    s = isSet(p.learningRate) ? s.withLearningRate((Double) getOrDefault(p.learningRate)) : s;
    s = isSet(p.momentum) ? s.withMomentum((Double) getOrDefault(p.momentum)) : s;
    s = isSet(p.beta1) ? s.withBeta1((Double) getOrDefault(p.beta1)) : s;
    s = isSet(p.beta2) ? s.withBeta2((Double) getOrDefault(p.beta2)) : s;
    s = isSet(p.epsilon) ? s.withEpsilon((Double) getOrDefault(p.epsilon)) : s;
    s = isSet(p.weightDecay) ? s.withWeightDecay((Double) getOrDefault(p.weightDecay)) : s;
    return isSet(p.alpha) ? s.withAlpha((Double) getOrDefault(p.alpha)) : s;
  }

  /** Param: sgd, momentum, nesterov, adam, adamw, rmsprop or adagrad. */
  default Param<String> optimizer() {
    return networkParamSet().optimizer;
  }

  default String getOptimizer() {
    return getOrDefault(optimizer());
  }

  @SuppressWarnings("unchecked")
  default T setOptimizer(String value) {
    return (T) set(optimizer(), value);
  }

  /** Param: base learning rate. */
  default DoubleParam learningRate() {
    return networkParamSet().learningRate;
  }

  /** The learningRate training uses: the set value, else the optimizer's default. */
  default double getLearningRate() {
    return getOptimizerSpec().learningRate();
  }

  @SuppressWarnings("unchecked")
  default T setLearningRate(double value) {
    return (T) set(learningRate(), value);
  }

  /** Param: momentum of momentum and nesterov. */
  default DoubleParam momentum() {
    return networkParamSet().momentum;
  }

  /** The momentum training uses: the set value, else the optimizer's default. */
  default double getMomentum() {
    return getOptimizerSpec().momentum();
  }

  @SuppressWarnings("unchecked")
  default T setMomentum(double value) {
    return (T) set(momentum(), value);
  }

  /** Param: Adam's first-moment decay. */
  default DoubleParam beta1() {
    return networkParamSet().beta1;
  }

  /** The beta1 training uses: the set value, else the optimizer's default. */
  default double getBeta1() {
    return getOptimizerSpec().beta1();
  }

  @SuppressWarnings("unchecked")
  default T setBeta1(double value) {
    return (T) set(beta1(), value);
  }

  /** Param: Adam's second-moment decay. */
  default DoubleParam beta2() {
    return networkParamSet().beta2;
  }

  /** The beta2 training uses: the set value, else the optimizer's default. */
  default double getBeta2() {
    return getOptimizerSpec().beta2();
  }

  @SuppressWarnings("unchecked")
  default T setBeta2(double value) {
    return (T) set(beta2(), value);
  }

  /** Param: the optimizer's denominator term. */
  default DoubleParam epsilon() {
    return networkParamSet().epsilon;
  }

  /** The epsilon training uses: the set value, else the optimizer's default. */
  default double getEpsilon() {
    return getOptimizerSpec().epsilon();
  }

  @SuppressWarnings("unchecked")
  default T setEpsilon(double value) {
    return (T) set(epsilon(), value);
  }

  /** Param: L2 penalty (decoupled for adamw). */
  default DoubleParam weightDecay() {
    return networkParamSet().weightDecay;
  }

  /** The weightDecay training uses: the set value, else the optimizer's default. */
  default double getWeightDecay() {
    return getOptimizerSpec().weightDecay();
  }

  @SuppressWarnings("unchecked")
  default T setWeightDecay(double value) {
    return (T) set(weightDecay(), value);
  }

  /** Param: RMSprop's smoothing constant. */
  default DoubleParam alpha() {
    return networkParamSet().alpha;
  }

  /** The alpha training uses: the set value, else the optimizer's default. */
  default double getAlpha() {
    return getOptimizerSpec().alpha();
  }

  @SuppressWarnings("unchecked")
  default T setAlpha(double value) {
    return (T) set(alpha(), value);
  }

  /** Param: global gradient-norm clipping; 0 = off. */
  default DoubleParam clipNorm() {
    return networkParamSet().clipNorm;
  }

  default double getClipNorm() {
    return (Double) getOrDefault(clipNorm());
  }

  @SuppressWarnings("unchecked")
  default T setClipNorm(double value) {
    return (T) set(clipNorm(), value);
  }

  /** Param: learning-rate schedule: constant, step, exponential or cosine. */
  default Param<String> schedule() {
    return networkParamSet().schedule;
  }

  default String getSchedule() {
    return getOrDefault(schedule());
  }

  @SuppressWarnings("unchecked")
  default T setSchedule(String value) {
    return (T) set(schedule(), value);
  }

  /** Param: epochs between decays of a step schedule. */
  default IntParam scheduleStepSize() {
    return networkParamSet().scheduleStepSize;
  }

  default int getScheduleStepSize() {
    return (Integer) getOrDefault(scheduleStepSize());
  }

  @SuppressWarnings("unchecked")
  default T setScheduleStepSize(int value) {
    return (T) set(scheduleStepSize(), value);
  }

  /** Param: decay factor of step and exponential schedules. */
  default DoubleParam scheduleGamma() {
    return networkParamSet().scheduleGamma;
  }

  default double getScheduleGamma() {
    return (Double) getOrDefault(scheduleGamma());
  }

  @SuppressWarnings("unchecked")
  default T setScheduleGamma(double value) {
    return (T) set(scheduleGamma(), value);
  }

  /** Param: where a cosine schedule ends. */
  default DoubleParam minLearningRate() {
    return networkParamSet().minLearningRate;
  }

  default double getMinLearningRate() {
    return (Double) getOrDefault(minLearningRate());
  }

  @SuppressWarnings("unchecked")
  default T setMinLearningRate(double value) {
    return (T) set(minLearningRate(), value);
  }

  /** Param: epochs of linear learning-rate warm-up. */
  default IntParam warmupEpochs() {
    return networkParamSet().warmupEpochs;
  }

  default int getWarmupEpochs() {
    return (Integer) getOrDefault(warmupEpochs());
  }

  @SuppressWarnings("unchecked")
  default T setWarmupEpochs(int value) {
    return (T) set(warmupEpochs(), value);
  }
}
