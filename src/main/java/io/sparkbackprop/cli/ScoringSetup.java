package io.sparkbackprop.cli;

import io.sparkbackprop.config.DataSource;
import io.sparkbackprop.data.DataFrames;
import io.sparkbackprop.model.ModelCodec;
import io.sparkbackprop.model.SavedModel;
import io.sparkbackprop.train.HadoopModelStore;
import io.sparkbackprop.train.SparkSessions;
import java.io.IOException;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** What the predict and evaluate jobs share: the session, the model and the input. */
final class ScoringSetup {
  /** Used when neither spark-submit nor {@code -Dspark.master} set a master. */
  static final String DEFAULT_MASTER = "local[*]";

  private ScoringSetup() {
  }

  /**
   * The format of {@code --input}: {@code --format} when given, else the path's extension.
   *
   * @throws JobFailure with exit code 64 when neither says it
   */
  static String inputFormat(String input, String format) {
    if (format != null) {
      if (!DataSource.FORMATS.contains(format)) {
        throw new JobFailure(ExitCodes.USAGE, "--format must be one of " + new TreeSet<>(DataSource.FORMATS)
            + ", was '" + format + "'");
      }
      return format;
    }
    String inferred = DataSource.formatFromExtension(input);
    if (inferred == null) {
      throw new JobFailure(ExitCodes.USAGE, "cannot tell the format of --input " + input
          + " from its extension; give --format (one of " + new TreeSet<>(DataSource.FORMATS) + ")");
    }
    return inferred;
  }

  /** Gets or creates the job's session; it runs local[*] unless spark-submit set a master. */
  static SparkSession session(String appName) {
    return SparkSessions.create(appName, DEFAULT_MASTER, Map.of());
  }

  static SavedModel loadModel(SparkSession spark, String dir) throws IOException {
    return ModelCodec.decode(new HadoopModelStore(spark.sparkContext().hadoopConfiguration()), dir);
  }

  /** Reads the input; libsvm with the model's input size, as DESIGN.md requires for scoring files. */
  static Dataset<Row> readInput(SparkSession spark, String path, String format, SavedModel model) {
    return DataFrames.read(spark, new DataSource(path, format), "--input", model.network().inputSize());
  }
}
