package io.sparkbackprop.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.sparkbackprop.nn.Activation;
import io.sparkbackprop.nn.Init;
import io.sparkbackprop.nn.LayerSpec;
import io.sparkbackprop.nn.LossType;
import io.sparkbackprop.nn.Precision;
import io.sparkbackprop.nn.Reduction;
import io.sparkbackprop.optim.OptimizerSpec;
import io.sparkbackprop.optim.OptimizerType;
import io.sparkbackprop.optim.ScheduleType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Reads a HOCON training config plus {@code --set key=value} overrides into a validated
 * {@link TrainConfig}. Every check happens here, before Spark starts; the first problem found is
 * reported as one line naming file, line and key.
 */
public final class ConfigLoader {
  static final String DEFAULTS = "io/sparkbackprop/config/defaults.conf";

  private ConfigLoader() {
  }

  /** Loads {@code file} with {@code overrides} ("key=value", later ones win). */
  public static TrainConfig load(Path file, List<String> overrides) {
    Config user;
    try {
      user = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
      for (String o : overrides) {
        user = parseOverride(o).withFallback(user);
      }
    } catch (ConfigException e) {
      throw new InvalidConfigException(e.getMessage());
    }
    checkKnownKeys(user);
    Config full;
    try {
      full = user.withFallback(ConfigFactory.parseResources(DEFAULTS)).resolve();
    } catch (ConfigException e) {
      throw new InvalidConfigException(e.getMessage());
    }
    return read(new ConfigReader(full, file.toString()),
        user.root().render(ConfigRenderOptions.concise()), false);
  }

  private static Config parseOverride(String override) {
    int eq = override.indexOf('=');
    if (eq <= 0) {
      throw new InvalidConfigException("--set " + override + ": expected key=value");
    }
    return ConfigFactory.parseString(override,
        ConfigParseOptions.defaults().setOriginDescription("--set " + override));
  }

  static void checkKnownKeys(Config user) {
    // Sorted, so the same config always reports the same first problem.
    Map<String, ConfigValue> sorted = new TreeMap<>();
    for (Map.Entry<String, ConfigValue> e : user.entrySet()) {
      sorted.put(e.getKey(), e.getValue());
    }
    for (Map.Entry<String, ConfigValue> e : sorted.entrySet()) {
      String path = String.join(".", ConfigUtil.splitPath(e.getKey()));
      if (!ConfigKeys.known(path)) {
        String hint = ConfigKeys.suggestion(path, ConfigKeys.ALL);
        throw new InvalidConfigException(ConfigReader.describe(e.getValue().origin()) + ": " + path
            + " is not a known key" + (hint == null ? "" : " (did you mean " + hint + "?)"));
      }
    }
  }

  /** @param dataFrames the rows come as DataFrames: no training source and no output. */
  static TrainConfig read(ConfigReader r, String source, boolean dataFrames) {
    DataSettings data = readData(r, dataFrames);
    List<LayerSpec> layers = readLayers(r);
    Init init = parse(r, "model.init", Init::fromConfigName);
    LossType loss = parse(r, "loss.type", LossType::fromConfigName);
    Reduction reduction = parse(r, "loss.reduction", Reduction::fromConfigName);
    String mismatch = loss.incompatibility(layers.get(layers.size() - 1));
    if (mismatch != null) {
      throw new InvalidConfigException(r.where("model.layers") + ": model.layers: " + mismatch);
    }
    OptimizerSpec optimizer = readOptimizer(r);
    ScheduleSettings schedule = readSchedule(r);
    if (schedule.minLearningRate() > optimizer.learningRate()) {
      throw r.error("optimizer.schedule.minLearningRate", "must be <= optimizer.learningRate "
          + optimizer.learningRate() + ", was " + schedule.minLearningRate());
    }
    TrainingSettings training = readTraining(r);
    EarlyStoppingSettings early = training.earlyStopping();
    if (early != null) {
      if (!data.hasValidation()) {
        throw r.error("training.earlyStopping.metric", "needs validation data: set "
            + "data.validation.path or data.validation.fraction");
      }
      boolean classifier = loss.classifies(layers.get(layers.size() - 1).units());
      if (early.metric().equals("validationAccuracy") && !classifier) {
        throw r.error("training.earlyStopping.metric", "validationAccuracy needs a classifier; "
            + "this model is a regression (use validationRmse or validationLoss)");
      }
      if (early.metric().equals("validationRmse") && classifier) {
        throw r.error("training.earlyStopping.metric", "validationRmse needs a regression model; "
            + "this model is a classifier (use validationAccuracy or validationLoss)");
      }
    }
    OutputSettings output = dataFrames ? new OutputSettings(null, null, null,
        r.intAtLeast("output.keepVersions", 1), r.bool("output.overwrite"), null) : OutputReader.read(r);
    GateSettings gate = output.gate();
    if (gate != null) {
      boolean classifier = loss.classifies(layers.get(layers.size() - 1).units());
      if (gate.metric().startsWith("validation") && !data.hasValidation()) {
        throw r.error("output.gate.metric", gate.metric() + " needs validation data: set "
            + "data.validation.path or data.validation.fraction");
      }
      if (gate.metric().endsWith("Accuracy") && !classifier || gate.metric().endsWith("Rmse") && classifier) {
        throw r.error("output.gate.metric", gate.metric() + " does not apply to a "
            + (classifier ? "classifier" : "regression model"));
      }
    }
    String master = r.string("spark.master");
    return new TrainConfig(data, layers, init, loss, reduction, optimizer, schedule, training,
        output, master, readSparkConf(r), source);
  }

  private static DataSettings readData(ConfigReader r, boolean dataFrames) {
    DataSource train = dataFrames ? null : readSource(r, "data.train");
    DataSource validation = r.has("data.validation.path") ? readSource(r, "data.validation") : null;
    double fraction = r.number("data.validation.fraction");
    if (fraction < 0 || fraction >= 1) {
      throw r.error("data.validation.fraction", "must be in [0, 1), was " + fraction);
    }
    if (validation != null && fraction > 0) {
      throw r.error("data.validation.fraction", "cannot be set together with data.validation.path");
    }
    FeatureColumns features;
    ConfigValue f = r.value("data.features");
    if (f.valueType() == ConfigValueType.STRING) {
      features = FeatureColumns.ofVector(r.string("data.features"));
    } else {
      List<String> cols = r.stringList("data.features");
      if (cols.isEmpty()) {
        throw r.error("data.features", "must name at least one column");
      }
      if (new TreeSet<>(cols).size() != cols.size()) {
        throw r.error("data.features", "lists a column twice: " + cols);
      }
      features = FeatureColumns.ofColumns(cols);
    }
    String label = r.string("data.label");
    if (!features.isVector() && features.columns().contains(label)) {
      throw r.error("data.label", "'" + label + "' is also listed in data.features");
    }
    return new DataSettings(train, validation, fraction, features, label, r.bool("data.standardize"),
        parse(r, "data.handleInvalid", InvalidRowPolicy::fromConfigName));
  }

  private static DataSource readSource(ConfigReader r, String prefix) {
    String path = r.string(prefix + ".path");
    String format = r.optionalString(prefix + ".format");
    if (format == null) {
      format = DataSource.formatFromExtension(path);
      if (format == null) {
        throw r.error(prefix + ".path", "'" + path + "' has no known extension; set "
            + prefix + ".format to one of " + new TreeSet<>(DataSource.FORMATS));
      }
    } else if (!DataSource.FORMATS.contains(format)) {
      throw r.error(prefix + ".format", "must be one of " + new TreeSet<>(DataSource.FORMATS)
          + ", was '" + format + "'");
    }
    return new DataSource(path, format);
  }

  private static List<LayerSpec> readLayers(ConfigReader r) {
    ConfigValue v = r.value("model.layers");
    if (v.valueType() != ConfigValueType.LIST || ((ConfigList) v).isEmpty()) {
      throw r.error("model.layers", "must be a non-empty list of layers like "
          + "{ units = 4, activation = sigmoid, bias = false }");
    }
    List<LayerSpec> layers = new ArrayList<>();
    ConfigList list = (ConfigList) v;
    for (int i = 0; i < list.size(); i++) {
      String name = "model.layers[" + i + "]";
      ConfigValue item = list.get(i);
      String where = ConfigReader.describe(item.origin());
      if (item.valueType() != ConfigValueType.OBJECT) {
        throw new InvalidConfigException(where + ": " + name + " must be an object like "
            + "{ units = 4, activation = sigmoid }");
      }
      ConfigObject obj = (ConfigObject) item;
      for (String key : obj.keySet()) {
        if (!ConfigKeys.LAYER_KEYS.contains(key)) {
          String hint = ConfigKeys.suggestion(key, ConfigKeys.LAYER_KEYS);
          throw new InvalidConfigException(where + ": " + name + "." + key + " is not a known key"
              + (hint == null ? "" : " (did you mean " + hint + "?)"));
        }
      }
      ConfigReader lr = new ConfigReader(obj.toConfig(), where);
      int units = lr.has("units") ? lr.intAtLeast("units", 1) : -1;
      if (units < 0) {
        throw new InvalidConfigException(where + ": " + name + ".units is required");
      }
      Activation act;
      try {
        act = Activation.fromConfigName(lr.string("activation"));
      } catch (IllegalArgumentException e) {
        throw new InvalidConfigException(where + ": " + name + ".activation: " + e.getMessage());
      } catch (InvalidConfigException e) {
        throw new InvalidConfigException(where + ": " + name + ".activation is required");
      }
      boolean bias = lr.has("bias") ? lr.bool("bias") : LayerSpec.DEFAULT_BIAS;
      layers.add(new LayerSpec(units, act, bias));
    }
    return layers;
  }

  private static OptimizerSpec readOptimizer(ConfigReader r) {
    OptimizerType type = parse(r, "optimizer.type", OptimizerType::fromConfigName);
    OptimizerSpec spec = OptimizerSpec.defaults(type);
    Map<String, BiFunction<OptimizerSpec, Double, OptimizerSpec>> setters =
        new LinkedHashMap<>();
    setters.put("learningRate", OptimizerSpec::withLearningRate);
    setters.put("momentum", OptimizerSpec::withMomentum);
    setters.put("beta1", OptimizerSpec::withBeta1);
    setters.put("beta2", OptimizerSpec::withBeta2);
    setters.put("epsilon", OptimizerSpec::withEpsilon);
    setters.put("weightDecay", OptimizerSpec::withWeightDecay);
    setters.put("alpha", OptimizerSpec::withAlpha);
    for (Map.Entry<String, BiFunction<OptimizerSpec, Double, OptimizerSpec>> s
        : setters.entrySet()) {
      String path = "optimizer." + s.getKey();
      if (r.has(path)) {
        try {
          spec = s.getValue().apply(spec, r.number(path));
        } catch (IllegalArgumentException e) {
          // Field checks start with the field's name; cross-field ones ("nesterov needs ...") do not.
          String m = e.getMessage();
          boolean namesField = setters.keySet().stream().anyMatch(k -> m.startsWith(k + " "));
          throw new InvalidConfigException(r.where(path) + ": "
              + (namesField ? "optimizer." + m : path + ": " + m));
        }
      }
    }
    return spec;
  }

  private static ScheduleSettings readSchedule(ConfigReader r) {
    ScheduleType type = parse(r, "optimizer.schedule.type", ScheduleType::fromConfigName);
    int stepSize = r.intAtLeast("optimizer.schedule.stepSize", 1);
    double gamma = r.number("optimizer.schedule.gamma");
    if (gamma <= 0 || gamma > 1) {
      throw r.error("optimizer.schedule.gamma", "must be in (0, 1], was " + gamma);
    }
    double min = r.number("optimizer.schedule.minLearningRate");
    if (min < 0) {
      throw r.error("optimizer.schedule.minLearningRate", "must be >= 0, was " + min);
    }
    int warmup = r.intAtLeast("optimizer.schedule.warmupEpochs", 0);
    return new ScheduleSettings(type, stepSize, gamma, min, warmup);
  }

  private static TrainingSettings readTraining(ConfigReader r) {
    int epochs = r.intAtLeast("training.epochs", 1);
    int batch;
    ConfigValue b = r.value("training.batchSize");
    if (b.valueType() == ConfigValueType.STRING) {
      if (!"full".equals(b.unwrapped())) {
        throw r.error("training.batchSize", "must be a positive integer or \"full\", was "
            + ConfigReader.render(b));
      }
      batch = TrainingSettings.FULL_BATCH;
    } else {
      batch = r.intAtLeast("training.batchSize", 1);
    }
    long seed = r.longValue("training.seed");
    int partitions = r.intAtLeast("training.partitions", 0);
    int depth = r.intAtLeast("training.aggregationDepth", 1);
    double clip = r.number("optimizer.clipNorm");
    if (clip < 0) {
      throw r.error("optimizer.clipNorm", "must be >= 0 (0 turns clipping off), was " + clip);
    }
    EarlyStoppingSettings early = null;
    if (r.has("training.earlyStopping.metric")) {
      String metric = r.string("training.earlyStopping.metric");
      if (!EarlyStoppingSettings.METRICS.contains(metric)) {
        throw r.error("training.earlyStopping.metric", "must be one of "
            + EarlyStoppingSettings.METRICS + ", was '" + metric + "'");
      }
      double minDelta = r.number("training.earlyStopping.minDelta");
      if (minDelta < 0) {
        throw r.error("training.earlyStopping.minDelta", "must be >= 0, was " + minDelta);
      }
      early = new EarlyStoppingSettings(metric, r.intAtLeast("training.earlyStopping.patience", 1), minDelta);
    }
    int every = r.intAtLeast("training.checkpoint.everyEpochs", 0);
    String checkpointDir = r.optionalString("training.checkpoint.dir");
    if (checkpointDir == null && every > 0) {
      checkpointDir = r.has("output.model") ? r.string("output.model").replaceAll("/+$", "") + "-checkpoints"
          : r.has("output.root") ? r.string("output.root").replaceAll("/+$", "") + "/.checkpoints/"
              + (r.has("output.version") ? r.string("output.version") : "unversioned") : null;
      if (checkpointDir == null) {
        throw r.error("training.checkpoint.everyEpochs", "needs training.checkpoint.dir or an output");
      }
    }
    CheckpointSettings checkpoint = new CheckpointSettings(checkpointDir, every,
        r.intAtLeast("training.checkpoint.keep", 1));
    Precision precision = parse(r, "training.precision", Precision::fromConfigName);
    GradientExchange exchange = parse(r, "training.exchange", GradientExchange::fromConfigName);
    return new TrainingSettings(epochs, batch, seed, partitions, depth, clip, precision, early, checkpoint,
        exchange);
  }

  private static Map<String, String> readSparkConf(ConfigReader r) {
    Map<String, String> conf = new LinkedHashMap<>();
    if (!r.has(ConfigKeys.SPARK_CONF)) {
      return conf;
    }
    for (Map.Entry<String, ConfigValue> e : r.config().getConfig(ConfigKeys.SPARK_CONF).entrySet()) {
      ConfigValue v = e.getValue();
      if (v.valueType() == ConfigValueType.LIST || v.valueType() == ConfigValueType.OBJECT
          || v.valueType() == ConfigValueType.NULL) {
        throw new InvalidConfigException(ConfigReader.describe(v.origin()) + ": spark.conf."
            + e.getKey() + " must be a string, number or boolean");
      }
      conf.put(String.join(".", ConfigUtil.splitPath(e.getKey())), String.valueOf(v.unwrapped()));
    }
    return conf;
  }

  private static <T> T parse(ConfigReader r, String path, Function<String, T> parser) {
    String s = r.string(path);
    try {
      return parser.apply(s);
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigException(r.where(path) + ": " + path + ": " + e.getMessage());
    }
  }
}
