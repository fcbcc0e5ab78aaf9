package io.sparkbackprop.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.SparkTestSession;
import io.sparkbackprop.model.LocalModelStore;
import io.sparkbackprop.model.ModelCodec;
import io.sparkbackprop.model.SavedModel;
import io.sparkbackprop.score.ModelScorer;
import io.sparkbackprop.score.ScoringModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PredictJobTest {
  /** csv prints doubles with Java's shortest round-trip form, so they read back exactly. */
  private static final double CSV_ROUND_TRIP = 0.0;

  @TempDir
  Path dir;

  private Path save(SavedModel model, String name) throws IOException {
    Path p = dir.resolve(name);
    ModelCodec.save(new LocalModelStore(), p.toString(), model, false);
    return p;
  }

  /** 40 rows of columns c, a, id, b: not the model's order a, b, c. */
  private Path csv() throws IOException {
    Path p = dir.resolve("in.csv");
    StringBuilder b = new StringBuilder("c,a,id,b\n");
    for (int i = 0; i < 40; i++) {
      b.append((i % 7) * 0.5 - 1.5).append(',').append((i % 5) * 0.75 - 1.5).append(',').append(i).append(',')
          .append((i % 3) - 1).append('\n');
    }
    Files.writeString(p, b);
    return p;
  }

  private static SavedModel named() {
    return ScoringModels.softmax3(21).toBuilder().labels(List.of("low", "mid", "high")).build();
  }

  private static Dataset<Row> expected(SavedModel model, Path csv) {
    Dataset<Row> in = SparkTestSession.get().read().option("header", "true").option("inferSchema", "true")
        .csv(csv.toString());
    return ModelScorer.of(model).transform(in).orderBy("id");
  }

  @Test
  void writesTheInputColumnsAndPredictionsAsParquet() throws IOException {
    Path model = save(named(), "model");
    Path in = csv();
    Path out = dir.resolve("scores");
    JobHarness.Result r = JobHarness.run(PredictJob::run, "--model", model.toString(), "--input", in.toString(),
        "--output", out.toString());
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("predictions written to " + out + " (parquet"), r.out());

    Dataset<Row> written = SparkTestSession.get().read().parquet(out.toString());
    assertEquals(List.of("c", "a", "id", "b", "rawPrediction", "probability", "prediction", "predictedLabel"),
        List.of(written.columns()));
    List<Row> actual = written.orderBy("id").collectAsList();
    List<Row> expected = expected(named(), in).collectAsList();
    assertEquals(40, actual.size());
    for (int i = 0; i < actual.size(); i++) {
      assertEquals(expected.get(i), actual.get(i), "row " + i);
    }
    try (Stream<Path> siblings = Files.list(dir)) {
      assertEquals(List.of(), siblings.filter(p -> p.getFileName().toString().startsWith(".")).toList(),
          "no temporary output left behind");
    }
  }

  @Test
  void csvOutputHoldsVectorsAsBracketedStrings() throws IOException {
    Path model = save(named(), "model");
    Path in = csv();
    Path out = dir.resolve("scores.csv");
    JobHarness.Result r = JobHarness.run(PredictJob::run, "--model", model.toString(), "--input", in.toString(),
        "--output", out.toString());
    assertEquals(0, r.exitCode(), r.err());
    List<Row> actual = SparkTestSession.get().read().option("header", "true").csv(out.toString()).orderBy(
        functions.col("id").cast("int")).collectAsList();
    List<Row> expected = expected(named(), in).collectAsList();
    for (int i = 0; i < actual.size(); i++) {
      String text = actual.get(i).getAs("probability");
      assertTrue(text.startsWith("[") && text.endsWith("]"), text);
      double[] parsed = Arrays.stream(text.substring(1, text.length() - 1).split(","))
          .mapToDouble(Double::parseDouble).toArray();
      assertArrayEquals(((Vector) expected.get(i).getAs("probability")).toArray(), parsed, CSV_ROUND_TRIP);
      assertEquals((String) expected.get(i).getAs("predictedLabel"), actual.get(i).getAs("predictedLabel"));
    }
  }

  @Test
  void anExistingOutputIsKeptWithoutOverwriteAndReplacedWithIt() throws IOException {
    Path model = save(named(), "model");
    Path in = csv();
    Path out = dir.resolve("scores");
    Files.createDirectories(out);
    Files.writeString(out.resolve("keep.txt"), "precious");
    String[] args = {"--model", model.toString(), "--input", in.toString(), "--output", out.toString()};
    JobHarness.Result refused = JobHarness.run(PredictJob::run, args);
    assertEquals(ExitCodes.CANNOT_WRITE, refused.exitCode(), refused.err());
    assertEquals("error: --output " + out + " already exists; pass --overwrite to replace it\n", refused.err());
    assertEquals("precious", Files.readString(out.resolve("keep.txt")));

    String[] replace = Arrays.copyOf(args, args.length + 1);
    replace[args.length] = "--overwrite";
    JobHarness.Result notOurs = JobHarness.run(PredictJob::run, replace);
    assertEquals(ExitCodes.CANNOT_WRITE, notOurs.exitCode(), notOurs.err());
    assertEquals("error: --output " + out + " is a directory that is not an earlier output (it is not empty and has"
        + " no _SUCCESS); --overwrite replaces only those, so remove it yourself or choose another path\n",
        notOurs.err());
    assertEquals("precious", Files.readString(out.resolve("keep.txt")), "--overwrite never deletes a user's files");

    Files.writeString(out.resolve("_SUCCESS"), "");   // now it looks like an earlier Spark output
    JobHarness.Result replaced = JobHarness.run(PredictJob::run, replace);
    assertEquals(0, replaced.exitCode(), replaced.err());
    assertFalse(Files.exists(out.resolve("keep.txt")));
    assertEquals(40, SparkTestSession.get().read().parquet(out.toString()).count());

    JobHarness.Result again = JobHarness.run(PredictJob::run, replace);
    assertEquals(0, again.exitCode(), "a predict output replaces its own earlier output: " + again.err());
  }

  @Test
  void aMissingColumnExitsWith65NamingItAndWritesNothing() throws IOException {
    Path model = save(named(), "model");
    Path in = dir.resolve("short.csv");
    Files.writeString(in, "a,c\n1,2\n");
    Path out = dir.resolve("scores");
    JobHarness.Result r = JobHarness.run(PredictJob::run, "--model", model.toString(), "--input", in.toString(),
        "--output", out.toString());
    assertEquals(ExitCodes.BAD_DATA, r.exitCode(), r.err());
    assertEquals("error: --input " + in + ": no column 'b'; columns are [a, c]\n", r.err());
    assertFalse(Files.exists(out));
  }

  @Test
  void aNullValueExitsWith65NamingTheRowAndLeavesNoPartialOutput() throws IOException {
    Path model = save(named(), "model");
    Path in = dir.resolve("holes.csv");
    Files.writeString(in, "a,b,c\n1,2,3\n4,,6\n");
    Path out = dir.resolve("scores");
    JobHarness.Result r = JobHarness.run(PredictJob::run, "--model", model.toString(), "--input", in.toString(),
        "--output", out.toString());
    assertEquals(ExitCodes.BAD_DATA, r.exitCode(), r.err());
    assertEquals("error: --input " + in + ": column 'b' in row 1 of partition 0 is null\n", r.err());
    try (Stream<Path> left = Files.list(dir)) {
      assertEquals(List.of(), left.filter(p -> p.getFileName().toString().contains("scores")).toList());
    }
  }

  @Test
  void libsvmInputIsReadWithTheModelsInputSize() throws IOException {
    // A model without features (minimal model.json) reads the vector column "features".
    SavedModel minimal = named().toBuilder().features(null).build();
    Path model = save(minimal, "model");
    Path in = dir.resolve("in.libsvm");
    // The largest index is 2 of 3: Spark alone would infer vectors of size 2.
    Files.writeString(in, "0 1:0.5 2:-1\n1 1:1.5\n2 2:2.0\n");
    Path out = dir.resolve("scores.json");
    JobHarness.Result r = JobHarness.run(PredictJob::run, "--model", model.toString(), "--input", in.toString(),
        "--output", out.toString());
    assertEquals(0, r.exitCode(), r.err());
    List<Row> rows = SparkTestSession.get().read().json(out.toString()).orderBy("label").collectAsList();
    assertEquals(3, rows.size());
    Dataset<Row> dense = SparkTestSession.get().createDataFrame(List.of(
        RowFactory.create(0.0, 0.5, -1.0, 0.0),
        RowFactory.create(1.0, 1.5, 0.0, 0.0),
        RowFactory.create(2.0, 0.0, 2.0, 0.0)),
        StructType.fromDDL("label double, a double, b double, c double"));
    List<Row> expected = ModelScorer.of(named()).transform(dense).orderBy("label").collectAsList();
    for (int i = 0; i < 3; i++) {
      List<Double> probability = rows.get(i).getList(rows.get(i).fieldIndex("probability"));
      assertArrayEquals(((Vector) expected.get(i).getAs("probability")).toArray(),
          probability.stream().mapToDouble(Double::doubleValue).toArray(), CSV_ROUND_TRIP);
    }
  }

  @Test
  void usageAndMissingInputsGiveTheirExitCodes() throws IOException {
    Path model = save(named(), "model");
    Path in = csv();
    String out = dir.resolve("o").toString();
    JobHarness.Result format = JobHarness.runWithoutSpark(PredictJob::run, "--model", model.toString(),
        "--input", in.toString(), "--format", "xls", "--output", out);
    assertEquals(ExitCodes.USAGE, format.exitCode());
    assertEquals("error: --format must be one of [csv, json, libsvm, orc, parquet], was 'xls'\n", format.err());
    assertEquals(ExitCodes.USAGE, JobHarness.runWithoutSpark(PredictJob::run, "--model", model.toString(),
        "--input", dir.resolve("data").toString(), "--output", out).exitCode());
    assertEquals(ExitCodes.USAGE, JobHarness.runWithoutSpark(PredictJob::run, "--model", model.toString()).exitCode());

    JobHarness.Result same = JobHarness.run(PredictJob::run, "--model", model.toString(), "--input", in.toString(),
        "--output", in.toString(), "--overwrite");
    assertEquals(ExitCodes.USAGE, same.exitCode(), same.err());
    assertTrue(Files.isRegularFile(in), "the input survives");

    JobHarness.Result noModel = JobHarness.run(PredictJob::run, "--model", dir.resolve("absent").toString(),
        "--input", in.toString(), "--output", out);
    assertEquals(ExitCodes.INPUT_MISSING, noModel.exitCode(), noModel.err());
    assertEquals("error: model directory " + dir.resolve("absent") + " does not exist\n", noModel.err());
    JobHarness.Result noInput = JobHarness.run(PredictJob::run, "--model", model.toString(),
        "--input", dir.resolve("absent.csv").toString(), "--output", out);
    assertEquals(ExitCodes.INPUT_MISSING, noInput.exitCode(), noInput.err());
  }
}
