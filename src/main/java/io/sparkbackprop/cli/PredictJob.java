package io.sparkbackprop.cli;

import io.sparkbackprop.config.DataSource;
import io.sparkbackprop.data.DataException;
import io.sparkbackprop.model.SavedModel;
import io.sparkbackprop.score.ModelScorer;
import io.sparkbackprop.train.TrainRun;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jobs/predict.sh --model DIR --input PATH [--format F] --output PATH}: writes the input's
 * columns plus the prediction columns of {@link ModelScorer}. Parquet and orc keep the vector
 * columns as Spark ML vectors; json writes them as arrays of numbers; csv, which has no nested
 * values, as strings like {@code [0.1,0.9]}.
 */
@Command(name = "predict", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "Score a Spark data source with a saved model.")
public final class PredictJob implements Callable<Integer> {
  static final Set<String> OUTPUT_FORMATS = Set.of("parquet", "csv", "json", "orc");

  @Option(names = "--model", required = true, paramLabel = "DIR", description = "model directory")
  String model;

  @Option(names = "--input", required = true, paramLabel = "PATH", description = "data to score")
  String input;

  @Option(names = "--format", paramLabel = "F",
      description = "input format: csv, libsvm, parquet, json or orc (default: from the extension)")
  String format;

  @Option(names = "--output", required = true, paramLabel = "PATH", description = "where to write (a directory)")
  String output;

  @Option(names = "--output-format", paramLabel = "F",
      description = "parquet, csv, json or orc (default: from the output's extension, else parquet)")
  String outputFormat;

  @Option(names = "--overwrite", description = "replace an existing output")
  boolean overwrite;

  private final PrintStream out;

  public PredictJob() {
    this(System.out);
  }

  PredictJob(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the job and returns its exit code; for tests and embedding. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    return JobRunner.run(new PredictJob(out), args, err);
  }

  @Override
  public Integer call() throws Exception {
    String inFormat = ScoringSetup.inputFormat(input, format);
    String outFormat = outputFormat(output, outputFormat);
    boolean ownSession = SparkSession.getDefaultSession().isEmpty();
    SparkSession spark = ScoringSetup.session("spark-backprop predict " + input);
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    try (AtomicOutput target = AtomicOutput.prepare(conf, output, "--output", overwrite)) {
      if (qualified(conf, input).equals(qualified(conf, output))) {
        // Replacing the input while it is being read would lose it: the scores come from it lazily.
        throw new JobFailure(ExitCodes.USAGE, "--output must not be the same path as --input (" + input + ")");
      }
      SavedModel saved = ScoringSetup.loadModel(spark, model);
      out.println("spark-backprop " + TrainRun.version() + ": scoring " + input + " with " + model + " on "
          + spark.sparkContext().master());
      Dataset<Row> data = ScoringSetup.readInput(spark, input, inFormat, saved);
      Dataset<Row> scored = ModelScorer.of(saved).describedAs("--input " + input).transform(data);
      Dataset<Row> writable = forFormat(scored, outFormat);
      var writer = writable.write().format(outFormat);
      if (outFormat.equals("csv")) {
        writer = writer.option("header", "true");
      }
      writer.save(target.temp().toString());
      target.commit();
      out.println("predictions written to " + output + " (" + outFormat + ", columns "
          + List.of(writable.columns()) + ")");
      return ExitCodes.OK;
    } finally {
      if (ownSession) {
        spark.stop();
      }
    }
  }

  private static Path qualified(Configuration conf, String path) throws IOException {
    Path p = new Path(path);
    return p.getFileSystem(conf).makeQualified(p);
  }

  static String outputFormat(String output, String option) {
    if (option != null) {
      if (!OUTPUT_FORMATS.contains(option)) {
        throw new JobFailure(ExitCodes.USAGE, "--output-format must be one of [csv, json, orc, parquet], was '"
            + option + "'");
      }
      return option;
    }
    String inferred = DataSource.formatFromExtension(output);
    return inferred != null && OUTPUT_FORMATS.contains(inferred) ? inferred : "parquet";
  }

  /**
   * The columns as {@code format} can hold them: vectors become arrays for json and strings
   * {@code [a,b,...]} (dense, Spark's double-to-string) for csv; csv refuses other nested columns.
   */
  static Dataset<Row> forFormat(Dataset<Row> df, String format) {
    if (!format.equals("csv") && !format.equals("json")) {
      return df;
    }
    Column[] columns = new Column[df.schema().fields().length];
    for (int i = 0; i < columns.length; i++) {
      StructField f = df.schema().fields()[i];
      Column c = functions.col("`" + f.name().replace("`", "``") + "`");
      if (f.dataType() instanceof VectorUDT) {
        Column array = org.apache.spark.ml.functions.vector_to_array(c, "float64");
        c = format.equals("json") ? array
            : functions.concat(functions.lit("["), functions.array_join(array.cast("array<string>"), ","),
                functions.lit("]"));
      } else if (format.equals("csv") && !csvCanHold(f.dataType())) {
        throw new DataException("--output: column '" + f.name() + "' of type " + f.dataType().simpleString()
            + " cannot be written as csv; write parquet (--output-format parquet) or drop the column");
      }
      columns[i] = c.as(f.name());
    }
    return df.select(columns);
  }

  private static boolean csvCanHold(DataType t) {
    return t instanceof NumericType || t instanceof StringType || t instanceof BooleanType
        || t instanceof DateType || t instanceof TimestampType || t instanceof TimestampNTZType;
  }
}
