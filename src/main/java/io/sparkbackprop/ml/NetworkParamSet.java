package io.sparkbackprop.ml;

import io.sparkbackprop.config.GradientExchange;
import io.sparkbackprop.config.MapConfigLoader;
import io.sparkbackprop.config.EarlyStoppingSettings;
import io.sparkbackprop.config.InvalidRowPolicy;
import io.sparkbackprop.nn.Activation;
import io.sparkbackprop.nn.Init;
import io.sparkbackprop.nn.LayerSpec;
import io.sparkbackprop.nn.Precision;
import io.sparkbackprop.nn.Reduction;
import io.sparkbackprop.optim.OptimizerType;
import io.sparkbackprop.optim.ScheduleType;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;
import scala.Function1;

/**
 * The {@link Param} objects of {@link NetworkParams} for one owner (an estimator), each with its
 * validator, doc, and the config key it sets. Defaults of keys that have one come from
 * defaults.conf through {@link MapConfigLoader#defaultValue}, so the job and the API share them; the
 * optimizer hyperparameters have no Spark default because theirs depends on the optimizer
 * ({@link io.sparkbackprop.optim.OptimizerSpec#defaults}). Public only because the interface's
 * accessors must reach it; use those.
 */
public final class NetworkParamSet implements Serializable {
  private static final long serialVersionUID = 1L;
  /** The {@code outputActivation} that lets the task and loss choose. */
  static final String AUTO = "auto";

  final Param<String> hiddenLayers;
  final Param<String> outputActivation;
  final BooleanParam outputBias;
  final Param<String> init;
  final Param<String> lossReduction;
  final Param<String> optimizer;
  final DoubleParam learningRate;
  final DoubleParam momentum;
  final DoubleParam beta1;
  final DoubleParam beta2;
  final DoubleParam epsilon;
  final DoubleParam weightDecay;
  final DoubleParam alpha;
  final DoubleParam clipNorm;
  final Param<String> schedule;
  final IntParam scheduleStepSize;
  final DoubleParam scheduleGamma;
  final DoubleParam minLearningRate;
  final IntParam warmupEpochs;
  final IntParam epochs;
  final IntParam batchSize;
  final LongParam seed;
  final DoubleParam validationFraction;
  final Param<String> earlyStoppingMetric;
  final IntParam earlyStoppingPatience;
  final DoubleParam earlyStoppingMinDelta;
  final BooleanParam standardize;
  final Param<String> handleInvalid;
  final IntParam partitions;
  final IntParam aggregationDepth;
  final Param<String> precision;
  final Param<String> exchange;

  /** Param name to the config key it sets (the layer params together build model.layers instead). */
  private final Map<String, String> configKeys = new LinkedHashMap<>();

  NetworkParamSet(Params owner) {
    String uid = owner.uid();
    hiddenLayers = new Param<>(owner, "hiddenLayers", "hidden dense layers, e.g. '64:relu,32:tanh:nobias' "
        + "(units:activation[:nobias], comma-separated; '' = none); the output layer is added from the task",
        layersValidator(uid));
    owner.setDefault(hiddenLayers, "");
    String[] activations = names(Activation.values(), Activation::configName);
    outputActivation = new Param<>(owner, "outputActivation", "activation of the output layer: auto (softmax "
        + "for crossEntropy, sigmoid for binaryCrossEntropy and for a classifier with mse, linear for regression) "
        + "or one of " + Arrays.toString(activations), oneOf(AUTO, activations));
    owner.setDefault(outputActivation, AUTO);
    outputBias = new BooleanParam(owner, "outputBias", "whether the output layer has a bias");
    owner.setDefault(outputBias, LayerSpec.DEFAULT_BIAS);
    init = string(owner, "init", "model.init", "weight initialisation", names(Init.values(), Init::configName));
    lossReduction = string(owner, "lossReduction", "loss.reduction", "mean or sum of the per-row losses",
        names(Reduction.values(), Reduction::configName));
    optimizer = string(owner, "optimizer", "optimizer.type", "update rule",
        names(OptimizerType.values(), OptimizerType::configName));
    String perType = " (default: per optimizer, as PyTorch's)";
    learningRate = number(owner, "learningRate", "optimizer.learningRate", "base learning rate, > 0" + perType,
        ParamValidators.inRange(0, Double.MAX_VALUE, false, true), false);
    momentum = number(owner, "momentum", "optimizer.momentum", "momentum of momentum and nesterov, in [0, 1)"
        + perType, unitInterval(), false);
    beta1 = number(owner, "beta1", "optimizer.beta1", "Adam's first-moment decay, in [0, 1)" + perType,
        unitInterval(), false);
    beta2 = number(owner, "beta2", "optimizer.beta2", "Adam's second-moment decay, in [0, 1)" + perType,
        unitInterval(), false);
    epsilon = number(owner, "epsilon", "optimizer.epsilon", "denominator term of adam, adamw, rmsprop and "
        + "adagrad, >= 0" + perType, nonNegative(), false);
    weightDecay = number(owner, "weightDecay", "optimizer.weightDecay", "L2 penalty (decoupled for adamw), >= 0"
        + perType, nonNegative(), false);
    alpha = number(owner, "alpha", "optimizer.alpha", "RMSprop's smoothing constant, in [0, 1)" + perType,
        unitInterval(), false);
    clipNorm = number(owner, "clipNorm", "optimizer.clipNorm", "clip the gradient to this global L2 norm; 0 = off",
        nonNegative(), true);
    schedule = string(owner, "schedule", "optimizer.schedule.type", "learning-rate schedule",
        names(ScheduleType.values(), ScheduleType::configName));
    scheduleStepSize = integer(owner, "scheduleStepSize", "optimizer.schedule.stepSize",
        "epochs between decays of a step schedule, >= 1", 1);
    scheduleGamma = number(owner, "scheduleGamma", "optimizer.schedule.gamma", "decay factor of step and "
        + "exponential schedules, in (0, 1]", ParamValidators.inRange(0, 1, false, true), true);
    minLearningRate = number(owner, "minLearningRate", "optimizer.schedule.minLearningRate",
        "where a cosine schedule ends, >= 0", nonNegative(), true);
    warmupEpochs = integer(owner, "warmupEpochs", "optimizer.schedule.warmupEpochs",
        "epochs of linear warm-up, >= 0", 0);
    epochs = integer(owner, "epochs", "training.epochs", "passes over the training rows, >= 1", 1);
    batchSize = new IntParam(owner, "batchSize", "global mini-batch size in rows; 0 = full batch (one step "
        + "per epoch)", ParamValidators.gtEq(0));
    Object batch = MapConfigLoader.defaultValue("training.batchSize");
    owner.setDefault(batchSize, "full".equals(batch) ? 0 : ((Number) batch).intValue());
    configKeys.put("batchSize", "training.batchSize");
    seed = new LongParam(owner, "seed", "seeds initialisation, shuffling and the validation split");
    owner.setDefault(seed, ((Number) MapConfigLoader.defaultValue("training.seed")).longValue());
    configKeys.put("seed", "training.seed");
    validationFraction = number(owner, "validationFraction", "data.validation.fraction", "fraction of the rows "
        + "held out (seeded) and evaluated after every epoch, in [0, 1); 0 = none",
        ParamValidators.inRange(0, 1, true, false), true);
    earlyStoppingMetric = new Param<>(owner, "earlyStoppingMetric", "stop when this validation metric stops "
        + "improving, and keep the best epoch's weights: one of " + EarlyStoppingSettings.METRICS
        + " (default: not set = no early stopping)", oneOf(EarlyStoppingSettings.METRICS.toArray(new String[0])));
    configKeys.put("earlyStoppingMetric", "training.earlyStopping.metric");
    earlyStoppingPatience = integer(owner, "earlyStoppingPatience", "training.earlyStopping.patience",
        "epochs without improvement before stopping, >= 1", 1);
    earlyStoppingMinDelta = number(owner, "earlyStoppingMinDelta", "training.earlyStopping.minDelta",
        "smallest change that counts as an improvement, >= 0", nonNegative(), true);
    standardize = new BooleanParam(owner, "standardize", "standardise the features (mean 0, std 1, fitted "
        + "on the training rows; stored in the model and applied when scoring)");
    owner.setDefault(standardize, (Boolean) MapConfigLoader.defaultValue("data.standardize"));
    configKeys.put("standardize", "data.standardize");
    handleInvalid = string(owner, "handleInvalid", "data.handleInvalid", "rows with a null, NaN or infinite "
        + "feature, a vector of the wrong size or an impossible label: error refuses the data naming them, skip "
        + "drops them", names(InvalidRowPolicy.values(), InvalidRowPolicy::configName));
    partitions = integer(owner, "partitions", "training.partitions",
        "repartition the training rows to this many partitions; 0 = keep the input's", 0);
    aggregationDepth = integer(owner, "aggregationDepth", "training.aggregationDepth",
        "depth of the gradient treeAggregate, >= 1", 1);
    precision = string(owner, "precision", "training.precision", "arithmetic of the forward and backward passes "
        + "and of the broadcast weights and gradient sums (the optimizer and the model stay float64)",
        names(Precision.values(), Precision::configName));
    exchange = string(owner, "exchange", "training.exchange", "how each step's gradient sums and weights "
        + "travel: a Spark job per step (treeAggregate) or barrier tasks that stay running for the epoch "
        + "(persistentTasks: needs a task slot per partition)",
        names(GradientExchange.values(), GradientExchange::configName));
  }

  /** Param name to config key, for every param that sets exactly one key. */
  public Map<String, String> configKeys() {
    return Collections.unmodifiableMap(configKeys);
  }

  private Param<String> string(Params owner, String name, String key, String doc, String[] allowed) {
    Param<String> p = new Param<>(owner, name, doc + ": one of " + Arrays.toString(allowed), oneOf(allowed));
    owner.setDefault(p, (String) MapConfigLoader.defaultValue(key));
    configKeys.put(name, key);
    return p;
  }

  private DoubleParam number(Params owner, String name, String key, String doc,
      Function1<Object, Object> valid, boolean withDefault) {
    DoubleParam p = new DoubleParam(owner, name, doc, valid);
    if (withDefault) {
      owner.setDefault(p, ((Number) MapConfigLoader.defaultValue(key)).doubleValue());
    }
    configKeys.put(name, key);
    return p;
  }

  private IntParam integer(Params owner, String name, String key, String doc, int min) {
    IntParam p = new IntParam(owner, name, doc, ParamValidators.gtEq(min));
    owner.setDefault(p, ((Number) MapConfigLoader.defaultValue(key)).intValue());
    configKeys.put(name, key);
    return p;
  }

  private static Function1<Object, Object> unitInterval() {
    return ParamValidators.inRange(0, 1, true, false);
  }

  private static Function1<Object, Object> nonNegative() {
    return ParamValidators.inRange(0, Double.MAX_VALUE, true, true);
  }

  private static Function1<String, Object> oneOf(String... allowed) {
    return ParamValidators.inArray(List.of(allowed));
  }

  private static Function1<String, Object> oneOf(String first, String[] rest) {
    List<String> all = new ArrayList<>(List.of(first));
    all.addAll(List.of(rest));
    return ParamValidators.inArray(all);
  }

  /**
   * Like Spark's validators, but a bad layer string fails with the reason: Spark's message
   * ("X parameter P given invalid value V") would not say which layer or why.
   */
  private static Function1<String, Object> layersValidator(String uid) {
    return (Function1<String, Object> & Serializable) text -> {
      String problem = LayerSpecs.problem(text);
      if (problem != null) {
        throw new IllegalArgumentException(uid + " parameter hiddenLayers given invalid value " + text + ": "
            + problem + ".");
      }
      return true;
    };
  }

  /** The config names of an enum's values, e.g. {@code [sgd, momentum, ...]}. */
  static <E> String[] names(E[] values, java.util.function.Function<E, String> configName) {
    return Arrays.stream(values).map(configName).toArray(String[]::new);
  }
}
