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
      // PERMISSIVE (Spark's default): a malformed line becomes nulls, which the packing pass then
      // reports with the other invalid rows, instead of failing a task (and its retries) midway.
      case "csv" -> reader = reader.option("header", "true").option("inferSchema", "true");
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
      if (!holdsData(fs, matches)) {
        throw new InputMissingException(what + ": '" + pathString + "' holds no data (no non-empty files)");
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new InputMissingException(what + ": cannot open '" + pathString + "': " + firstLine(e.getMessage()));
    }
  }

  /** Whether any matched file, or any visible file under a matched directory, is non-empty. */
  private static boolean holdsData(FileSystem fs, FileStatus[] matches) throws IOException {
    for (FileStatus m : matches) {
      if (m.isFile() && m.getLen() > 0) {
        return true;
      }
      if (m.isDirectory()) {
        var files = fs.listFiles(m.getPath(), true);
        while (files.hasNext()) {
          var f = files.next();
          // Spark ignores names starting with _ or . (e.g. _SUCCESS, .crc files) when reading.
          if (f.getLen() > 0 && !hidden(m.getPath(), f.getPath())) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static boolean hidden(Path root, Path file) {
    for (Path p = file; p != null && !p.equals(root); p = p.getParent()) {
      String name = p.getName();
      if (name.startsWith("_") && !name.contains("=") || name.startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    return Arrays.stream(message.split("\\R")).findFirst().orElse("").trim();
  }
}
