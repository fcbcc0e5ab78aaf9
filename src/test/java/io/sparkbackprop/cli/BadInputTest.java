package io.sparkbackprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.SparkTestSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad training input is refused before training, in one line naming the kind of problem, the
 * column and the first offending rows, with DESIGN's exit code: no stack trace, no failed task
 * (so no task retries on a cluster), no file written. {@code data.handleInvalid = skip} drops the
 * invalid rows instead and says how many.
 */
class BadInputTest {
  private static final String HEADER = "a,b,c,y\n";
  private static final String GOOD = "1,2,3,0\n2,3,4,1\n3,4,5,2\n4,5,6,0\n5,6,7,1\n6,7,8,2\n";
  private static final AtomicInteger FAILED_TASKS = new AtomicInteger();
  private static final SparkListener FAILED_TASK_COUNTER = new SparkListener() {
    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
      if (!end.taskInfo().successful()) {
        FAILED_TASKS.incrementAndGet();
      }
    }
  };

  @TempDir
  Path dir;

  @BeforeAll
  static void countFailedTasks() {
    SparkTestSession.get().sparkContext().addSparkListener(FAILED_TASK_COUNTER);
  }

  @AfterAll
  static void stopCounting() {
    SparkTestSession.get().sparkContext().removeSparkListener(FAILED_TASK_COUNTER);
  }

  private JobHarness.Result train(String trainPath, String... extra) {
    List<String> args = new ArrayList<>(List.of("conf/iris.conf",
        "--set", "data.train.path=\"" + trainPath + "\"", "--set", "data.features=[a, b, c]",
        "--set", "data.label=y", "--set", "data.validation.fraction=0", "--set", "training.partitions=1",
        "--set", "training.epochs=2", "--set", "output.overwrite=false",
        "--set", "output.model=\"" + dir.resolve("model") + "\""));
    args.addAll(List.of(extra));
    FAILED_TASKS.set(0);
    return JobHarness.run(TrainJob::run, args.toArray(new String[0]));
  }

  private String csv(String name, String body) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, HEADER + body);
    return p.toString();
  }

  /** The run was refused with {@code code} and exactly {@code message}, cleanly. */
  private void assertRefused(JobHarness.Result r, int code, String message) {
    assertEquals(code, r.exitCode(), r.out() + r.err());
    assertEquals("error: " + message + "\n", r.err());
    assertFalse(r.out().contains("epoch 1/"), "refused before training: " + r.out());
    try (var written = Files.list(dir)) {
      // Only the status file a scheduler reads (failed, with the exit code); no model, no partial files.
      assertEquals(List.of(), written.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith("model") && !n.equals("model.status.json")).toList(), "no model written");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    try {
      SparkTestSession.get().sparkContext().listenerBus().waitUntilEmpty(60_000);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("Spark's listener events did not arrive within a minute", e);
    }
    assertEquals(0, FAILED_TASKS.get(), "bad data must not fail (and so retry) tasks");
  }

  @Test
  void invalidFeatureValuesAreNamedWithTheirRows() throws IOException {
    assertRefused(train(csv("null.csv", GOOD + "7,,9,0\n")), ExitCodes.BAD_DATA,
        "data.train.path: 1 invalid row of 7: column 'b' is null in 1 row (row 6 of input partition 0);"
            + " set data.handleInvalid = skip to drop invalid rows");
    assertRefused(train(csv("nan.csv", "NaN,2,3,0\n" + GOOD + "7,8,NaN,1\n")), ExitCodes.BAD_DATA,
        "data.train.path: 2 invalid rows of 8: column 'a' is NaN in 1 row (row 0 of input partition 0);"
            + " column 'c' is NaN in 1 row (row 7 of input partition 0);"
            + " set data.handleInvalid = skip to drop invalid rows");
    JobHarness.Result inf = train(csv("inf.csv", GOOD + "Infinity,1,1,1\n-Infinity,1,1,1\n"));
    assertEquals(ExitCodes.BAD_DATA, inf.exitCode(), inf.err());
    assertTrue(inf.err().contains("column 'a' is Infinity in 1 row")
        && inf.err().contains("column 'a' is -Infinity in 1 row"), inf.err());
    // A line with too few fields becomes nulls (csv PERMISSIVE), reported like any other null.
    assertRefused(train(csv("short.csv", GOOD + "1,2\n")), ExitCodes.BAD_DATA,
        "data.train.path: 1 invalid row of 7: column 'c' is null in 1 row (row 6 of input partition 0);"
            + " set data.handleInvalid = skip to drop invalid rows");
  }

  @Test
  void impossibleLabelsAreNamedWithTheirValues() throws IOException {
    assertRefused(train(csv("labels.csv", GOOD + "1,1,1,\n1,1,1,-1\n1,1,1,1.5\n1,1,1,3\n1,1,1,7\n")),
        ExitCodes.BAD_DATA, "data.train.path: 5 invalid rows of 11: column 'y' is null in 1 row"
            + " (row 6 of input partition 0); column 'y' is out of range, expected a class index 0..2 in 3 rows"
            + " (row 7 of input partition 0: -1.0, row 9 of input partition 0: 3.0, row 10 of input partition 0: 7.0);"
            + " column 'y' is not a whole number, expected a class index 0..2 in 1 row"
            + " (row 8 of input partition 0: 1.5); set data.handleInvalid = skip to drop invalid rows");
  }

  @Test
  void aManyRowsProblemNamesTheFirstThreeRowsAndTheCount() throws IOException {
    StringBuilder rows = new StringBuilder(GOOD);
    for (int i = 0; i < 10; i++) {
      rows.append("1,1,1,9\n");
    }
    JobHarness.Result r = train(csv("many.csv", rows.toString()));
    assertEquals(ExitCodes.BAD_DATA, r.exitCode());
    assertTrue(r.err().startsWith("error: data.train.path: 10 invalid rows of 16: column 'y' is out of range,"
        + " expected a class index 0..2 in 10 rows (row 6 of input partition 0: 9.0, row 7 of input partition 0: 9.0,"
        + " row 8 of input partition 0: 9.0, ...)"), r.err());
  }

  @Test
  void missingOrMistypedColumnsAreRefusedFromTheSchema() throws IOException {
    String good = csv("good.csv", GOOD);
    assertRefused(train(good, "--set", "data.label=z"), ExitCodes.BAD_DATA,
        "data.train.path: no column 'z'; columns are [a, b, c, y]");
    assertRefused(train(good, "--set", "data.features=[a, b, d]"), ExitCodes.BAD_DATA,
        "data.train.path: no column 'd'; columns are [a, b, c, y]");
    assertRefused(train(csv("text.csv", GOOD + "1,two,3,0\n")), ExitCodes.BAD_DATA,
        "data.train.path: column 'b' must be numeric, is string (values that are not numbers: 'two')");
    Path bools = dir.resolve("bools.csv");
    Files.writeString(bools, "a,b,c,y\n1,2,3,true\n");
    assertRefused(train(bools.toString()), ExitCodes.BAD_DATA,
        "data.train.path: column 'y' must be numeric, is boolean");
  }

  @Test
  void emptyOrMissingInputIsRefused() throws IOException {
    assertRefused(train(csv("header-only.csv", "")), ExitCodes.BAD_DATA, "data.train.path: has no rows");
    Path empty = Files.createDirectory(dir.resolve("empty-dir"));
    assertRefused(train(empty.toString(), "--set", "data.train.format=csv"), ExitCodes.INPUT_MISSING,
        "data.train.path: '" + empty + "' holds no data (no non-empty files)");
    Path zero = Files.createFile(dir.resolve("zero.csv"));
    assertRefused(train(zero.toString()), ExitCodes.INPUT_MISSING,
        "data.train.path: '" + zero + "' holds no data (no non-empty files)");
    Path onlyMarker = Files.createDirectory(dir.resolve("marker-only"));
    Files.writeString(onlyMarker.resolve("_SUCCESS"), "done");
    assertRefused(train(onlyMarker.toString(), "--set", "data.train.format=parquet"), ExitCodes.INPUT_MISSING,
        "data.train.path: '" + onlyMarker + "' holds no data (no non-empty files)");
    assertRefused(train(dir.resolve("absent.csv").toString()), ExitCodes.INPUT_MISSING,
        "data.train.path: '" + dir.resolve("absent.csv") + "' does not exist");
  }

  @Test
  void badValidationRowsAreNamedByTheirOwnKey() throws IOException {
    String good = csv("good.csv", GOOD);
    assertRefused(train(good, "--set", "data.validation.path=\"" + csv("v.csv", "1,NaN,1,1\n") + "\"",
        "--set", "data.validation.fraction=0"), ExitCodes.BAD_DATA,
        "data.validation.path: 1 invalid row of 1: column 'b' is NaN in 1 row (row 0 of input partition 0);"
            + " set data.handleInvalid = skip to drop invalid rows");
    Path fewer = dir.resolve("fewer.csv");
    Files.writeString(fewer, "a,b,y\n1,2,0\n");
    assertRefused(train(good, "--set", "data.validation.path=\"" + fewer + "\""), ExitCodes.BAD_DATA,
        "data.validation.path: no column 'c'; columns are [a, b, y]");
  }

  @Test
  void vectorColumnsAreCheckedForSizeAndValues() throws IOException {
    StructType schema = new StructType().add("features", new VectorUDT()).add("y", DataTypes.DoubleType);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      rows.add(RowFactory.create(Vectors.dense(i, i + 1, i + 2), (double) (i % 3)));
    }
    String good = parquet("good.parquet", schema, rows);
    List<Row> bad = new ArrayList<>(rows);
    bad.add(RowFactory.create(Vectors.dense(1, 2, 3, 4), 0.0));
    bad.add(RowFactory.create(Vectors.sparse(3, new int[] {1}, new double[] {Double.NaN}), 1.0));
    bad.add(RowFactory.create(null, 2.0));
    String[] vector = {"--set", "data.features=features"};
    JobHarness.Result r = train(parquet("bad.parquet", schema, bad), vector);
    assertRefused(r, ExitCodes.BAD_DATA, "data.train.path: 3 invalid rows of 9:"
        + " column 'features' has the wrong size, expected 3 in 1 row (row 6 of input partition 0: 4);"
        + " column 'features' holds NaN or infinite values in 1 row (row 7 of input partition 0: NaN at index 1);"
        + " column 'features' is null in 1 row (row 8 of input partition 0);"
        + " set data.handleInvalid = skip to drop invalid rows");

    List<Row> wider = List.of(RowFactory.create(Vectors.dense(1, 2, 3, 4), 0.0));
    List<String> args = new ArrayList<>(List.of(vector));
    args.addAll(List.of("--set", "data.validation.path=\"" + parquet("wide.parquet", schema, wider) + "\""));
    assertRefused(train(good, args.toArray(new String[0])), ExitCodes.BAD_DATA,
        "data.validation.path: has 4 features, the training data has 3");
  }

  private String parquet(String name, StructType schema, List<Row> rows) {
    String path = dir.resolve(name).toString();
    SparkTestSession.get().createDataFrame(rows, schema).coalesce(1).write().parquet(path);
    return path;
  }

  @Test
  void skipDropsInvalidRowsAndSaysHowMany() throws IOException {
    JobHarness.Result r = train(csv("some-bad.csv", GOOD + "1,,1,0\n1,1,1,5\n"),
        "--set", "data.handleInvalid=skip");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("training data: skipped 2 invalid of 8 rows (column 'b' is null: 1 row;"
        + " column 'y' is out of range, expected a class index 0..2: 1 row)"), r.out());
    assertTrue(Files.readString(dir.resolve("model/metrics.json")).contains("\"rows\" : 6"),
        Files.readString(dir.resolve("model/metrics.json")));

    Files.walk(dir.resolve("model")).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    assertRefused(train(csv("all-bad.csv", "1,,1,0\n1,1,1,5\n"), "--set", "data.handleInvalid=skip"),
        ExitCodes.BAD_DATA, "data.train.path: has no valid rows (2 rows, all invalid): column 'b' is null"
            + " in 1 row (row 0 of input partition 0); column 'y' is out of range, expected a class index 0..2"
            + " in 1 row (row 1 of input partition 0: 5.0)");
  }
}
