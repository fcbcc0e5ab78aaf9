package io.sparkbackprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkbackprop.SparkTestSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The train job reads every supported source format, with numeric columns or a vector column. */
class DataFormatsTest {
  private static final String FEATURES = "[sepal_length, sepal_width, petal_length, petal_width]";

  @TempDir
  static Path dir;

  @BeforeAll
  static void writeIrisInEveryFormat() throws IOException {
    SparkSession spark = SparkTestSession.get();
    Dataset<Row> iris = spark.read().option("header", "true").option("inferSchema", "true")
        .csv("data-samples/iris/iris.csv");
    iris.write().parquet(dir.resolve("iris.parquet").toString());
    iris.write().json(dir.resolve("iris.json").toString());
    iris.write().orc(dir.resolve("iris.orc").toString());
    // libsvm: "label index:value ...", 1-based indices; one row leaves out a zero feature (sparse).
    List<String> lines = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("data-samples/iris/iris.csv")).subList(1, 151)) {
      String[] v = line.split(",");
      StringBuilder b = new StringBuilder(v[4]);
      for (int j = 0; j < 4; j++) {
        if (Double.parseDouble(v[j]) != 0) {
          b.append(' ').append(j + 1).append(':').append(v[j]);
        }
      }
      lines.add(b.toString());
    }
    Files.write(dir.resolve("iris.libsvm"), lines);
  }

  @ParameterizedTest
  @ValueSource(strings = {"iris.parquet", "iris.json", "iris.orc", "iris.libsvm"})
  void trainsFromEveryFormat(String file) throws IOException {
    boolean libsvm = file.endsWith(".libsvm");
    Path out = dir.resolve("model-" + file);
    JobHarness.Result r = JobHarness.run(TrainJob::run, "conf/iris.conf",
        "--set", "data.train.path=\"" + dir.resolve(file) + "\"",
        "--set", "data.features=" + (libsvm ? "features" : FEATURES),
        "--set", "data.label=" + (libsvm ? "label" : "species"),
        "--set", "data.validation.fraction=0",
        "--set", "training.epochs=2",
        "--set", "output.model=\"" + out + "\"");
    assertEquals(0, r.exitCode(), r.err());
    var metrics = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
    assertEquals(150, metrics.get("train").get("rows").asInt());
    var model = new ObjectMapper().readTree(out.resolve("model.json").toFile());
    assertEquals(4, model.get("inputSize").asInt());
  }
}
