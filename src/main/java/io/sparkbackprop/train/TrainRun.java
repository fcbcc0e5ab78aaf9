package io.sparkbackprop.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkbackprop.config.DataSource;
import io.sparkbackprop.config.CheckpointSettings;
import io.sparkbackprop.config.InvalidConfigException;
import io.sparkbackprop.config.TrainConfig;
import io.sparkbackprop.data.DataException;
import io.sparkbackprop.data.DataFingerprint;
import io.sparkbackprop.data.LabelKind;
import io.sparkbackprop.data.Standardization;
import io.sparkbackprop.data.TrainingData;
import io.sparkbackprop.model.Features;
import io.sparkbackprop.model.ModelStore;
import io.sparkbackprop.model.Preprocessing;
import io.sparkbackprop.model.SavedModel;
import io.sparkbackprop.nn.FeedForward;
import io.sparkbackprop.nn.LayerSpec;
import io.sparkbackprop.nn.NetworkSpec;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * One training run from a validated config: read and cache the data, build or warm-start the
 * network, train, measure the final model, and assemble the {@link SavedModel} with its
 * provenance. Writing files is left to the caller.
 */
public final class TrainRun {
  private TrainRun() {
  }

  /** What a run produced. {@code validationMetrics} is null without validation data. */
  public record Outcome(SavedModel model, TrainingResult result, Metrics trainMetrics,
      Metrics validationMetrics) {
  }

  /** The kind of label the config's loss and output layer need. */
  public static LabelKind labelKind(TrainConfig config) {
    LayerSpec out = config.layers().get(config.layers().size() - 1);
    return switch (config.loss()) {
      case CROSS_ENTROPY -> LabelKind.classes(out.units());
      case BINARY_CROSS_ENTROPY -> LabelKind.classes(2);
      case MSE -> out.units() > 1 ? LabelKind.classes(out.units()) : LabelKind.regression();
    };
  }

  /**
   * @param initModel weights to start from, or null to initialise from the seed
   * @param initModelName how to name {@code initModel} in errors (its directory)
   */
  public static Outcome run(SparkSession spark, TrainConfig config, SavedModel initModel,
      String initModelName, TrainingListener listener) {
    return run(spark, config, initModel, initModelName, listener, null, false);
  }

  /**
   * @param store where checkpoints go (when the config enables them); may be null without them
   * @param resume continue from the newest checkpoint instead of starting afresh
   */
  public static Outcome run(SparkSession spark, TrainConfig config, SavedModel initModel,
      String initModelName, TrainingListener listener, ModelStore store, boolean resume) {
    Preprocessing p = initModel == null ? null : initModel.preprocessing();
    TrainingData data = TrainingData.load(spark, config.data(), labelKind(config),
        config.training().partitions(), config.training().seed(),
        p == null ? null : new Standardization(p.means(), p.stds()));
    return run(spark, config, data, initModel, initModelName, listener, store, resume);
  }

  /**
   * Trains on already loaded data (the Spark ML API passes DataFrames) and releases its cache.
   */
  public static Outcome run(SparkSession spark, TrainConfig config, TrainingData data,
      SavedModel initModel, String initModelName, TrainingListener listener, ModelStore store,
      boolean resume) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    long seed = config.training().seed();
    // Secrets in spark.conf or in URIs never reach the model's provenance or checkpoint.json.
    Redactor redactor = Redactor.of(spark.sparkContext().getConf(), config.sparkConf());
    String configJson = redactor.configJson(config.source());
    try {
      data.skippedRows().forEach(listener::onMessage);
      NetworkSpec spec = new NetworkSpec(data.schema().numFeatures(), config.layers());
      FeedForward net = new FeedForward(spec, config.loss(), config.reduction());
      double[] init = initModel == null ? config.init().initialize(spec.layout(), seed)
          : warmStart(initModel, initModelName, spec, data);
      Trainer trainer = new Trainer(net, config.optimizer(), config.schedule(), config.training());
      TrainerState start = trainer.initialState(init);
      CheckpointSink sink = CheckpointSink.NONE;
      CheckpointSettings cp = config.training().checkpoint();
      if (cp.enabled()) {
        RunFingerprint fingerprint = RunFingerprint.of(configJson, data.train());
        sink = new Checkpoints(store, cp.dir(), cp.keep(), fingerprint);
        if (resume) {
          TrainerState resumed = resumeFrom(store, cp.dir(), fingerprint, start.params().length);
          if (resumed == null) {
            // A scheduler's retry passes --resume whether or not the failed attempt got that far.
            listener.onMessage("no checkpoint under " + cp.dir() + " yet; starting from the beginning");
          } else {
            start = resumed;
            listener.onMessage("resuming from " + cp.dir() + " after epoch " + start.epochsDone()
                + " (step " + start.globalStep() + ")");
          }
        }
      } else if (resume) {
        throw new InvalidConfigException("--resume needs checkpoints: set training.checkpoint.everyEpochs");
      }
      TrainingResult result = trainer.fit(sc, data.train(), data.validation(), start, listener, sink);
      if (result.stopReason() != null) {
        listener.onMessage(result.stopReason());
      }
      int depth = config.training().aggregationDepth();
      Metrics trainMetrics = Evaluator.evaluate(sc, net, result.parameters(), data.train(), depth);
      Metrics validationMetrics = data.validation() == null ? null
          : Evaluator.evaluate(sc, net, result.parameters(), data.validation(), depth);
      Standardization st = data.standardization();
      SavedModel model = SavedModel.builder(spec, result.parameters())
          .loss(config.loss(), config.reduction())
          .task(Evaluator.isClassifier(net) ? SavedModel.CLASSIFICATION : SavedModel.REGRESSION)
          .labels(data.schema().labelNames())
          .preprocessing(st == null ? null : new Preprocessing(st.means(), st.stds()))
          .features(config.data().features().isVector()
              ? Features.vector(config.data().features().vectorColumn(), spec.inputSize())
              : Features.columns(config.data().features().columns()))
          .provenance(provenance(spark, config, configJson, redactor, data, result, trainMetrics,
              validationMetrics, initModelName))
          .build();
      return new Outcome(model, result, trainMetrics, validationMetrics);
    } finally {
      data.train().unpersist();
      if (data.validation() != null) {
        data.validation().unpersist();
      }
    }
  }

  private static TrainerState resumeFrom(ModelStore store, String dir, RunFingerprint now, int numParams) {
    Checkpoints.Loaded loaded;
    try {
      loaded = Checkpoints.latest(store, dir);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("--resume: cannot read checkpoints under " + dir + ": "
          + e.getMessage(), e);
    }
    if (loaded == null) {
      return null;
    }
    if (loaded.formatVersion() != Checkpoints.FORMAT_VERSION) {
      throw new InvalidConfigException("--resume: checkpoint " + loaded.dir() + " has format version "
          + loaded.formatVersion() + ", this build reads version " + Checkpoints.FORMAT_VERSION + "; "
          + loaded.olderHint());
    }
    String difference = now.differenceFrom(loaded.fingerprint());
    if (difference != null) {
      throw new InvalidConfigException("--resume: checkpoint " + loaded.dir() + " does not match: " + difference);
    }
    if (loaded.state().params().length != numParams) {
      throw new InvalidConfigException("--resume: checkpoint " + loaded.dir() + " has "
          + loaded.state().params().length + " parameters, the network has " + numParams);
    }
    return loaded.state();
  }

  private static double[] warmStart(SavedModel initModel, String name, NetworkSpec spec,
      TrainingData data) {
    NetworkSpec m = initModel.network();
    if (m.inputSize() != spec.inputSize()) {
      throw new DataException("--init-model " + name + ": the model takes " + m.inputSize()
          + " inputs, the data has " + spec.inputSize() + " features");
    }
    if (!m.layers().equals(spec.layers())) {
      throw new InvalidConfigException("--init-model " + name + ": the model's layers "
          + describe(m.layers()) + " differ from model.layers " + describe(spec.layers()));
    }
    if (!java.util.Objects.equals(initModel.labels(), data.schema().labelNames())
        && initModel.labels() != null) {
      throw new DataException("--init-model " + name + ": the model's classes " + initModel.labels()
          + " differ from the data's " + data.schema().labelNames());
    }
    return initModel.parameters();
  }

  private static String describe(List<LayerSpec> layers) {
    StringBuilder b = new StringBuilder("[");
    for (LayerSpec l : layers) {
      b.append(b.length() > 1 ? ", " : "").append(l.units()).append(' ').append(l.activation())
          .append(l.bias() ? "" : " (no bias)");
    }
    return b.append(']').toString();
  }

  private static Map<String, Object> provenance(SparkSession spark, TrainConfig config, String configJson,
      Redactor redactor, TrainingData data, TrainingResult result, Metrics train, Metrics validation,
      String initModel) {
    Map<String, Object> p = new LinkedHashMap<>();
    try {
      p.put("config", new ObjectMapper().readValue(configJson, Map.class));
    } catch (IOException e) {
      p.put("config", configJson);
    }
    p.put("seed", config.training().seed());
    Map<String, Object> dataInfo = new LinkedHashMap<>();
    dataInfo.put("train", config.data().train() == null ? Map.of("rows", data.train().totalRows())
        : source(spark, redactor, config.data().train(), data.train().totalRows()));
    if (config.data().validation() != null) {
      dataInfo.put("validation", source(spark, redactor, config.data().validation(), data.validation().totalRows()));
    } else if (config.data().validationFraction() > 0) {
      dataInfo.put("validationFraction", config.data().validationFraction());
      dataInfo.put("validationRows", data.validation().totalRows());
    }
    dataInfo.put("partitions", data.train().rowsPerPartition().length);
    p.put("data", dataInfo);
    p.put("initModel", redactor.text(initModel));
    p.put("epochs", result.history().size());
    p.put("steps", result.history().isEmpty() ? 0 : result.history().get(result.history().size() - 1).step());
    p.put("stepsPerEpoch", result.stepsPerEpoch());
    Map<String, Object> versions = new LinkedHashMap<>();
    versions.put("sparkBackprop", version());
    versions.put("spark", spark.version());
    versions.put("java", System.getProperty("java.version"));
    versions.put("blas", FeedForward.blasImplementation());
    p.put("versions", versions);
    p.put("createdAt", Instant.now().toString());
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("train", RunFiles.metricsMap(train));
    if (validation != null) {
      metrics.put("validation", RunFiles.metricsMap(validation));
    }
    p.put("metrics", metrics);
    return p;
  }

  private static Map<String, Object> source(SparkSession spark, Redactor redactor, DataSource s, long rows) {
    Map<String, Object> m = new LinkedHashMap<>(DataFingerprint.of(spark, s.path()));
    m.replaceAll((k, v) -> v instanceof String text ? redactor.text(text) : v);
    m.put("format", s.format());
    m.put("rows", rows);
    return m;
  }

  /** This build's version, from the filtered version.properties. */
  public static String version() {
    try (InputStream in = TrainRun.class.getResourceAsStream("/io/sparkbackprop/version.properties")) {
      Properties props = new Properties();
      if (in != null) {
        props.load(in);
      }
      return props.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
