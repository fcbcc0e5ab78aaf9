package io.sparkbackprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged artefacts as a user runs them: the jar through Spark's own SparkSubmit, and the
 * jobs/*.sh scripts on embedded Spark. Runs after {@code package} (failsafe), in child processes.
 */
class JobScriptsIT {
  private static final long TIMEOUT_MINUTES = 5;

  @TempDir
  Path dir;

  record Run(int exitCode, String out, String err) {
  }

  private static Run run(List<String> command) throws IOException, InterruptedException {
    Path out = Files.createTempFile("job", ".out");
    Path err = Files.createTempFile("job", ".err");
    Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + command);
    }
    return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
  }

  private static List<String> script(String name, String... args) {
    List<String> c = new ArrayList<>(List.of("jobs/" + name));
    c.addAll(List.of(args));
    return c;
  }

  @Test
  void theJarRunsUnderSparkSubmit() throws Exception {
    List<String> c = new ArrayList<>();
    c.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    c.addAll(Arrays.asList(System.getProperty("spark.jvm.opens").trim().split("\\s+")));
    c.addAll(List.of("-cp", "target/spark-backprop.jar:target/lib/*", "org.apache.spark.deploy.SparkSubmit",
        "--master", "local[2]", "--class", "io.sparkbackprop.cli.TrainJob", "target/spark-backprop.jar",
        "conf/xor.conf", "--set", "training.epochs=20", "--set", "output.model=\"" + dir.resolve("m") + "\""));
    Run r = run(c);
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("epoch 20/20"), r.out());
    assertTrue(Files.exists(dir.resolve("m/weights.safetensors")));
  }

  @Test
  void theJobScriptsTrainScoreEvaluateAndInspectOnEmbeddedSpark() throws Exception {
    Path model = dir.resolve("iris");
    Run train = run(script("train.sh", "conf/iris.conf", "--set", "training.epochs=5",
        "--set", "output.model=\"" + model + "\""));
    assertEquals(0, train.exitCode(), train.err());
    assertTrue(train.out().contains("epoch 5/5"), train.out());

    Run predict = run(script("predict.sh", "--model", model.toString(), "--input", "data-samples/iris/iris.csv",
        "--output", dir.resolve("scored.csv").toString()));
    assertEquals(0, predict.exitCode(), predict.err());

    Run evaluate = run(script("evaluate.sh", "--model", model.toString(), "--input", "data-samples/iris/iris.csv"));
    assertEquals(0, evaluate.exitCode(), evaluate.err());
    assertTrue(evaluate.out().trim().startsWith("{") && evaluate.out().contains("\"accuracy\""), evaluate.out());

    Run inspect = run(script("inspect.sh", "--model", model.toString()));
    assertEquals(0, inspect.exitCode(), inspect.err());
    assertTrue(inspect.out().contains("architecture 4 -> 16 relu -> 3 softmax"), inspect.out());
  }

  @Test
  void aBadConfigIsOneLineAndExit78BeforeSparkStarts() throws Exception {
    Run r = run(script("train.sh", "conf/xor.conf", "--set", "optimizer.learningRate=-1"));
    assertEquals(78, r.exitCode(), r.err());
    // Without native OpenBLAS the launcher adds a one-line note (and the JVM its incubator warning).
    List<String> lines = r.err().lines().filter(l -> !l.startsWith("note: native OpenBLAS")
        && !l.startsWith("WARNING: Using incubator modules")).toList();
    assertEquals(List.of("error: --set optimizer.learningRate=-1: optimizer.learningRate must be > 0, was -1.0"), lines);
  }
}
