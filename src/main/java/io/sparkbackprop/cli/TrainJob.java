package io.sparkbackprop.cli;

import io.sparkbackprop.config.ConfigLoader;
import io.sparkbackprop.config.TrainConfig;
import io.sparkbackprop.data.InputMissingException;
import io.sparkbackprop.model.ModelCodec;
import io.sparkbackprop.model.ModelStore;
import io.sparkbackprop.model.OutputExistsException;
import io.sparkbackprop.model.SavedModel;
import io.sparkbackprop.nn.FeedForward;
import io.sparkbackprop.train.Checkpoints;
import io.sparkbackprop.train.HadoopModelStore;
import io.sparkbackprop.train.Redactor;
import io.sparkbackprop.train.RunFiles;
import io.sparkbackprop.train.SparkSessions;
import io.sparkbackprop.train.TrainRun;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code jobs/train.sh CONFIG [--set key=value]... [--init-model DIR]}: trains a network as the
 * config says and writes the model directory with history.jsonl and metrics.json in it.
 */
@Command(name = "train", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "Train a feed-forward network on a Spark data source.")
public final class TrainJob implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "CONFIG", description = "HOCON training config")
  Path config;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "override a config key, e.g. --set optimizer.learningRate=0.01 (repeatable)")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--init-model", paramLabel = "DIR", description = "start from this saved model's weights")
  String initModel;

  @Option(names = "--resume", description = "continue from the newest checkpoint of training.checkpoint.dir "
      + "(starts afresh, from --init-model if given, when there is none yet)")
  boolean resume;

  /** Where the job's lines go; secrets are redacted from it once the config is known. */
  private PrintStream out;

  public TrainJob() {
    this(System.out);
  }

  TrainJob(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the job and returns its exit code; for tests and embedding. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    return JobRunner.run(new TrainJob(out), args, err);
  }

  @Override
  public Integer call() throws Exception {
    if (!Files.isRegularFile(config)) {
      throw new InputMissingException("config file '" + config + "' does not exist");
    }
    TrainConfig cfg = ConfigLoader.load(config, overrides);
    // Embedded in an application (or a test) that already has a session: use it, leave it running.
    boolean ownSession = SparkSession.getDefaultSession().isEmpty();
    SparkSession spark = SparkSessions.create("spark-backprop train " + config.getFileName(),
        cfg.sparkMaster(), cfg.sparkConf());
    RunTarget target = null;
    Redactor redactor = Redactor.of(spark.sparkContext().getConf(), cfg.sparkConf());
    out = new RedactingPrintStream(out, redactor);
    try {
      ModelStore store = new HadoopModelStore(spark.sparkContext().hadoopConfiguration());
      target = new RunTarget(store, cfg.output(), redactor);
      return train(spark, cfg, store, target);
    } catch (RuntimeException | java.io.IOException e) {
      Failures.Outcome o = Failures.classify(e);
      if (target != null && (o.exitCode() != ExitCodes.CANNOT_WRITE || !(e instanceof OutputExistsException))) {
        target.writeStatus("failed", o.exitCode(), o.message(), Map.of());
      }
      String shown = redactor.text(o.message());
      if (o.userError() && !shown.equals(o.message())) {
        throw new JobFailure(o.exitCode(), shown);   // the error line must not show a secret either
      }
      throw e;
    } finally {
      if (ownSession) {
        spark.stop();
      }
    }
  }

  private int train(SparkSession spark, TrainConfig cfg, ModelStore store, RunTarget target)
      throws java.io.IOException {
    String modelDir = target.modelDir();
    if (target.alreadyComplete()) {
      out.println("version " + cfg.output().version() + " is already complete at " + modelDir
          + "; nothing to do (set output.overwrite = true to train it again)");
      return ExitCodes.OK;
    }
    // A version directory without _SUCCESS is an earlier attempt that failed its gate: replaceable.
    boolean replace = cfg.output().overwrite() || (cfg.output().versioned() && store.exists(modelDir));
    if (!replace && store.exists(modelDir)) {
      throw new OutputExistsException(modelDir);
    }
    if (replace) {
      target.checkReplaceable();
    }
    String initDir = initModel == null ? null : target.resolveInitModel(initModel);
    SavedModel init = initDir == null ? null : ModelCodec.decode(store, initDir);
    out.println("spark-backprop " + TrainRun.version() + ": training " + config + " on "
        + spark.sparkContext().master() + " (BLAS: " + FeedForward.blasImplementation() + ")");
    TrainRun.Outcome outcome = TrainRun.run(spark, cfg, init, initDir, new ProgressPrinter(out),
        store, resume);

    QualityGate.Result gate = cfg.output().gate() == null ? null : QualityGate.check(cfg.output().gate(),
        outcome.trainMetrics(), outcome.validationMetrics(), target.latestMetrics());
    boolean passed = gate == null || gate.passed();
    Map<String, byte[]> files = new LinkedHashMap<>(ModelCodec.encode(outcome.model()));
    files.put(RunFiles.HISTORY, RunFiles.history(outcome.result().history()));
    files.put(RunFiles.METRICS, RunFiles.metrics(outcome));
    files.put(TrainingCurves.FILE, TrainingCurves.png(outcome.result().history(), "spark-backprop: " + config.getFileName()));
    if (passed) {
      files.put(RunTarget.SUCCESS, new byte[0]);
    }
    store.writeDirectory(modelDir, files, replace);
    out.println("model written to " + modelDir + " ("
        + ProgressPrinter.describe(outcome.trainMetrics(), "train")
        + (outcome.validationMetrics() == null ? ""
            : ", " + ProgressPrinter.describe(outcome.validationMetrics(), "validation")) + ")");
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("metrics", new com.fasterxml.jackson.databind.ObjectMapper().readValue(
        RunFiles.metrics(outcome), Map.class));
    if (gate != null) {
      out.println(gate.message());
      extra.put("gate", gate.message());
    }
    if (!passed) {
      target.writeStatus("failed", ExitCodes.QUALITY_GATE, gate.message(), extra);
      throw new JobFailure(ExitCodes.QUALITY_GATE, gate.message() + "; LATEST left unchanged");
    }
    List<String> pruned = target.publish();
    if (cfg.output().versioned()) {
      out.println("LATEST -> " + cfg.output().version()
          + (pruned.isEmpty() ? "" : " (removed old versions " + pruned + ")"));
    }
    target.writeStatus("succeeded", ExitCodes.OK, null, extra);
    if (cfg.output().versioned() && cfg.training().checkpoint().enabled()) {
      // This version is done; its checkpoints are not needed (and only they are deleted).
      Checkpoints.deleteAll(store, cfg.training().checkpoint().dir());
    }
    return ExitCodes.OK;
  }
}
