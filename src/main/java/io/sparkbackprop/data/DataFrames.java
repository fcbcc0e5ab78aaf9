package io.sparkbackprop.data;

import io.sparkbackprop.config.DataSource;
import java.io.IOException;
import java.util.Arrays;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Opens a {@link DataSource} as a DataFrame, with a clear error when the path is missing. */
public final class DataFrames {
  private DataFrames() {
  }

  /**
   * Reads {@code source}; {@code what} names it in errors (e.g. {@code data.train.path}).
   * {@code numFeatures} (0 if unknown) fixes the vector size of libsvm files, whose reader would
   * otherwise infer it per file from the largest index.
   */
  public static Dataset<Row> read(SparkSession spark, DataSource source, String what, int numFeatures) {
    requireExists(spark, source.path(), what);
    DataFrameReader reader = spark.read().format(source.format());
    switch (source.format()) {
      case "csv" -> reader = reader.option("header", "true").option("inferSchema", "true")
          .option("mode", "FAILFAST");
      case "json" -> reader = reader.option("mode", "FAILFAST");
      case "libsvm" -> {
        if (numFeatures > 0) {
          reader = reader.option("numFeatures", String.valueOf(numFeatures));
        }
      }
      default -> { }
    }
    try {
      return reader.load(source.path());
    } catch (RuntimeException e) {
      throw new DataException(what + ": cannot read '" + source.path() + "' as " + source.format()
          + ": " + firstLine(e.getMessage()));
    }
  }

  static void requireExists(SparkSession spark, String pathString, String what) {
    try {
      Path path = new Path(pathString);
      FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
      FileStatus[] matches = fs.globStatus(path);
      if (matches == null || matches.length == 0) {
        throw new InputMissingException(what + ": '" + pathString + "' does not exist");
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new InputMissingException(what + ": cannot open '" + pathString + "': " + firstLine(e.getMessage()));
    }
  }

  static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    return Arrays.stream(message.split("\\R")).findFirst().orElse("").trim();
  }
}
