package io.sparkbackprop.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sparkbackprop.model.SavedModel;
import io.sparkbackprop.score.Evaluation;
import io.sparkbackprop.score.ModelScorer;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jobs/evaluate.sh --model DIR --input PATH [--format F] [--output FILE]}: prints the
 * metrics of {@link Evaluation} as one JSON object on stdout (nothing else goes there, so it can be
 * piped), and writes the same JSON to FILE when given. The label column is the one the model was
 * trained on (provenance.config.data.label) unless {@code --label} names another.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "Measure a saved model on labelled data.")
public final class EvaluateJob implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Option(names = "--model", required = true, paramLabel = "DIR", description = "model directory")
  String model;

  @Option(names = "--input", required = true, paramLabel = "PATH", description = "labelled data")
  String input;

  @Option(names = "--format", paramLabel = "F",
      description = "input format: csv, libsvm, parquet, json or orc (default: from the extension)")
  String format;

  @Option(names = "--output", paramLabel = "FILE", description = "also write the metrics JSON here")
  String output;

  @Option(names = "--overwrite", description = "replace an existing --output file")
  boolean overwrite;

  @Option(names = "--label", paramLabel = "COL",
      description = "label column (default: the training config's data.label)")
  String label;

  private final PrintStream out;

  public EvaluateJob() {
    this(System.out);
  }

  EvaluateJob(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the job and returns its exit code; for tests and embedding. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    return JobRunner.run(new EvaluateJob(out), args, err);
  }

  @Override
  public Integer call() throws Exception {
    String inFormat = ScoringSetup.inputFormat(input, format);
    boolean ownSession = SparkSession.getDefaultSession().isEmpty();
    SparkSession spark = ScoringSetup.session("spark-backprop evaluate " + input);
    AtomicOutput target = null;
    try {
      if (output != null) {
        target = AtomicOutput.prepare(spark.sparkContext().hadoopConfiguration(), output, "--output", overwrite);
      }
      SavedModel saved = ScoringSetup.loadModel(spark, model);
      String labelColumn = label != null ? label : trainingLabel(saved);
      Dataset<Row> data = ScoringSetup.readInput(spark, input, inFormat, saved);
      Map<String, Object> report = new LinkedHashMap<>();
      report.put("model", model);
      report.put("input", input);
      report.put("label", labelColumn);
      report.putAll(Evaluation.evaluate(ModelScorer.of(saved).describedAs("--input " + input), data, labelColumn));
      byte[] json = (JSON.writeValueAsString(report) + "\n").getBytes(StandardCharsets.UTF_8);
      if (target != null) {
        try (FSDataOutputStream file = target.temp().getFileSystem(spark.sparkContext().hadoopConfiguration())
            .create(target.temp(), false)) {
          file.write(json);
        }
        target.commit();
      }
      out.write(json);
      out.flush();
      return ExitCodes.OK;
    } finally {
      if (target != null) {
        target.close();
      }
      if (ownSession) {
        spark.stop();
      }
    }
  }

  /** The label column recorded in the model's provenance, or a usage error asking for --label. */
  static String trainingLabel(SavedModel model) {
    Object config = model.provenance().get("config");
    Object data = config instanceof Map<?, ?> c ? c.get("data") : null;
    Object label = data instanceof Map<?, ?> d ? d.get("label") : null;
    if (label instanceof String s && !s.isEmpty()) {
      return s;
    }
    throw new JobFailure(ExitCodes.USAGE, "the model does not record its label column"
        + " (provenance.config.data.label); give --label COL");
  }
}
