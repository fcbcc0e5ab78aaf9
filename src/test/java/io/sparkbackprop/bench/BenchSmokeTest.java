package io.sparkbackprop.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkbackprop.SparkTestSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The benchmark code runs end to end on tiny inputs (a few hundred synthetic 8x8 "images" in IDX
 * files written here). Only that it runs and reports is checked: no timing is asserted. The
 * benchmarks run in a session of their own, as jobs/bench.sh does: Spark ML's MLPC serialises
 * classes that the strict test session (Kryo registrationRequired) would refuse.
 */
class BenchSmokeTest {
  @BeforeAll
  static void ownSession() {
    SparkTestSession.stop();
  }

  private static final int SIDE = 8;

  @TempDir
  Path dir;

  /** Images whose class is the brightest quarter of the picture: learnable, not trivial. */
  private static void writeSplit(Path dir, String prefix, int n, long seed) throws IOException {
    SplittableRandom rng = new SplittableRandom(seed);
    byte[] pixels = new byte[n * SIDE * SIDE];
    byte[] labels = new byte[n];
    for (int i = 0; i < n; i++) {
      int cls = rng.nextInt(4);
      labels[i] = (byte) cls;
      for (int r = 0; r < SIDE; r++) {
        for (int c = 0; c < SIDE; c++) {
          int quarter = (r < SIDE / 2 ? 0 : 2) + (c < SIDE / 2 ? 0 : 1);
          int v = rng.nextInt(100) + (quarter == cls ? 150 : 0);
          pixels[i * SIDE * SIDE + r * SIDE + c] = (byte) v;
        }
      }
    }
    new IdxFile(new int[] {n, SIDE, SIDE}, pixels).write(dir.resolve(prefix + "-images-idx3-ubyte.gz"));
    new IdxFile(new int[] {n}, labels).write(dir.resolve(prefix + "-labels-idx1-ubyte"));
  }

  @Test
  void idxFilesRoundTripGzippedOrNot() throws IOException {
    byte[] values = {0, 1, (byte) 255, 7, 8, 9};
    IdxFile f = new IdxFile(new int[] {2, 3}, values);
    for (String name : List.of("a.idx", "a.idx.gz")) {
      f.write(dir.resolve(name));
      IdxFile back = IdxFile.read(dir.resolve(name));
      assertArrayEquals(new int[] {2, 3}, back.shape());
      assertArrayEquals(values, back.values());
      assertEquals(255, back.get(0, 2));
    }
  }

  @Test
  void aFileThatIsNotIdxIsRefusedWithItsName() throws IOException {
    Path p = dir.resolve("bad.idx");
    Files.write(p, new byte[] {1, 2, 3, 4, 0, 0, 0, 1});
    IOException e = assertThrows(IOException.class, () -> IdxFile.read(p));
    assertTrue(e.getMessage().startsWith(p + ": not an unsigned-byte IDX file"), e.getMessage());
  }

  @Test
  void fashionBenchmarkRunsOnTinyIdxFilesAndReportsItsFigures() throws IOException {
    Path idx = Files.createDirectories(dir.resolve("idx"));
    writeSplit(idx, "train", 300, 1);
    writeSplit(idx, "t10k", 100, 2);
    Path results = dir.resolve("results.jsonl");
    int code = new CommandLine(new BenchJob()).execute("fashion", "--idx", idx.toString(),
        "--data", dir.resolve("parquet").toString(), "--hidden", "8", "--epochs", "2",
        "--target", "0.3", "--overhead-epochs", "1", "--overhead-batch", "64",
        "--mlpc-iters", "2", "--set", "training.batchSize=64", "--results", results.toString());
    assertEquals(0, code);
    JsonNode r = new ObjectMapper().readTree(Files.readAllLines(results).get(0));
    assertEquals(300, r.get("trainRows").asInt());
    assertEquals(100, r.get("testRows").asInt());
    assertEquals(2, r.get("run0Epochs").size());
    assertTrue(r.get("sparkOverSingleProcess").asDouble() > 0);
    assertTrue(r.get("cachedOverRawFloat64").asDouble() > 0);
    assertEquals(2, r.get("mlpc").get(0).get("maxIter").asInt());
  }

  @Test
  void memoryBenchmarkRunsEachRowCountInAChildJvmAndReportsItsFigures() throws IOException {
    Path results = dir.resolve("memory.jsonl");
    int code = new CommandLine(new BenchJob()).execute("memory", "--rows", "200,400", "--hidden", "8",
        "--epochs", "1", "--batch", "64", "--child-heap", "1g", "--child-java-option=-XX:TieredStopAtLevel=1",
        "--histogram", "3", "--timeout-minutes", "5", "--results", results.toString());
    assertEquals(0, code);
    JsonNode runs = new ObjectMapper().readTree(Files.readAllLines(results).get(0)).get("runs");
    assertEquals(2, runs.size());
    for (int i = 0; i < 2; i++) {
      JsonNode r = runs.get(i);
      long rows = 200L * (i + 1);
      assertEquals(rows, r.get("trainRows").asLong());
      assertEquals(Math.round(rows / 6.0), r.get("validationRows").asLong());
      assertEquals("local[2]", r.get("master").asText());
      assertEquals(1073741824L, r.get("maxHeapBytes").asLong(), "the child's own -Xmx");
      // Spark's estimate of the deserialised blocks: at least the float64 feature values.
      assertTrue(r.get("cachedTrainBytes").asLong() >= rows * MemoryRun.FEATURES * 8, r.toString());
      long cached = r.get("cachedTrainBytes").asLong() + r.get("cachedValidationBytes").asLong();
      assertEquals(r.get("heapAfterGcEndOfTraining").asLong() - cached, r.get("driverBytes").asLong());
      assertTrue(r.get("driverBytes").asLong() > 0, r.toString());
      assertTrue(r.get("peakHeapTraining").asLong() > 0, r.toString());
      assertEquals(3, r.get("heapHistogramEndOfTraining").size());
      assertTrue(r.get("heapHistogramTotal").asText().startsWith("Total "), r.toString());
      assertEquals((rows + 63) / 64, r.get("steps").asLong(), "one epoch of batches of 64");
    }
  }

  @Test
  void stepCostAndBlasBenchmarksRunOnTinySettings() throws IOException {
    Path results = dir.resolve("steps.jsonl");
    Path plot = dir.resolve("steps.svg");
    int code = new CommandLine(new BenchJob()).execute("steps", "--models", "4;8", "--partition-counts", "1,2",
        "--precisions", "float32", "--steps", "3", "--split-models", "4", "--batch", "8",
        "--plot", plot.toString(), "--results", results.toString());
    assertEquals(0, code);
    JsonNode r = new ObjectMapper().readTree(Files.readAllLines(results).get(0));
    assertEquals(8, r.get("fixed").size(), "2 models x 2 partition counts x 2 exchanges");
    long persistent = 0;
    for (JsonNode row : r.get("fixed")) {
      persistent += "persistentTasks".equals(row.get("exchange").asText()) ? 1 : 0;
      assertTrue(row.get("msPerStep").asDouble() > 0, row.toString());
    }
    assertEquals(4, persistent);
    assertEquals(2, r.get("split").size());
    assertTrue(Files.readString(plot).startsWith("<svg"));
    assertEquals(0, new CommandLine(new BenchJob()).execute("blas", "--seconds", "0.05", "--rows", "16"));
  }
}
