package io.sparkbackprop.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.model.LocalModelStore;
import io.sparkbackprop.model.ModelCodec;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints and exact resume, with a training process that is really killed. */
class ResumeTest {
  /** DESIGN target for a resumed float64 run; in practice the runs agree bit for bit. */
  private static final double SAME_RUN = 1e-9;
  private static final int EPOCHS = 150;
  private static final long KILL_TIMEOUT_SECONDS = 240;

  @TempDir
  Path dir;

  private String[] args(Path out, Path checkpoints, String... extra) {
    List<String> a = new ArrayList<>(List.of("conf/iris.conf", "--set", "training.precision=float64",
        "--set", "training.epochs=" + EPOCHS, "--set", "training.batchSize=full",
        "--set", "training.checkpoint.everyEpochs=5", "--set", "training.checkpoint.keep=2",
        "--set", "training.checkpoint.dir=\"" + checkpoints + "\"",
        "--set", "output.model=\"" + out + "\""));
    a.addAll(List.of(extra));
    return a.toArray(new String[0]);
  }

  private double[] weights(Path model) throws IOException {
    return ModelCodec.decode(new LocalModelStore(), model.toString()).parameters();
  }

  @Test
  void aKilledRunResumedFromItsCheckpointEndsWithTheUninterruptedRunsModel() throws Exception {
    Path checkpoints = dir.resolve("ckpt");
    Process child = startChildJob(args(dir.resolve("killed"), checkpoints));
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(KILL_TIMEOUT_SECONDS);
      while (!Files.isDirectory(checkpoints.resolve("epoch-000015")) && child.isAlive()
          && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertTrue(child.isAlive(), "the child finished before it could be killed; output: "
          + new String(child.getInputStream().readAllBytes()));
    } finally {
      child.destroyForcibly();   // SIGKILL: no shutdown hooks, no chance to tidy up
      child.waitFor();
    }
    assertFalse(Files.exists(dir.resolve("killed")), "a killed run must not leave a model");
    try (Stream<Path> s = Files.list(checkpoints)) {
      List<String> names = s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
      // keep = 2; old ones are pruned right after a new one lands, so a kill in between leaves 3.
      assertTrue(names.size() >= 1 && names.size() <= 3, "keep = 2, found " + names);
    }

    JobHarness.Result resumed = JobHarness.run(TrainJob::run, args(dir.resolve("resumed"), checkpoints, "--resume"));
    assertEquals(0, resumed.exitCode(), resumed.err());
    assertTrue(resumed.out().contains("resuming from " + checkpoints + " after epoch "), resumed.out());
    assertFalse(resumed.out().contains("epoch 1/" + EPOCHS + " "), "a resumed run does not redo epoch 1");

    JobHarness.Result straight = JobHarness.run(TrainJob::run, args(dir.resolve("straight"), dir.resolve("ckpt2")));
    assertEquals(0, straight.exitCode(), straight.err());

    double[] expected = weights(dir.resolve("straight"));
    double[] actual = weights(dir.resolve("resumed"));
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], SAME_RUN * Math.max(1, Math.abs(expected[i])), "parameter " + i);
    }
    assertEquals(EPOCHS, Files.readAllLines(dir.resolve("resumed").resolve("history.jsonl")).size(),
        "the resumed model's history covers the whole run");
  }

  @Test
  void resumeRefusesAChangedConfigNamingTheKeyAndALeftoverPartialCheckpointIsIgnored() throws IOException {
    Path checkpoints = dir.resolve("ckpt");
    JobHarness.Result first = JobHarness.run(TrainJob::run, args(dir.resolve("m1"), checkpoints,
        "--set", "training.epochs=10"));
    assertEquals(0, first.exitCode(), first.err());
    // What a crash in the middle of writing the next checkpoint leaves behind.
    Path partial = checkpoints.resolve(".epoch-000015.tmp-crashed");
    Files.createDirectories(partial);
    Files.writeString(partial.resolve("checkpoint.json"), "{\"formatVersion\": 1, \"epochsDo");

    JobHarness.Result changed = JobHarness.run(TrainJob::run, args(dir.resolve("m2"), checkpoints,
        "--set", "training.epochs=10", "--set", "optimizer.learningRate=0.5", "--resume"));
    assertEquals(ExitCodes.BAD_CONFIG, changed.exitCode(), changed.err());
    assertEquals("error: --resume: checkpoint " + checkpoints.resolve("epoch-000010")
        + " does not match: config key optimizer.learningRate is 0.5, the checkpoint's was 0.02\n", changed.err());

    JobHarness.Result same = JobHarness.run(TrainJob::run, args(dir.resolve("m3"), checkpoints,
        "--set", "training.epochs=10", "--resume"));
    assertEquals(0, same.exitCode(), same.err());
    assertArrayEquals(weights(dir.resolve("m1")), weights(dir.resolve("m3")), 0.0,
        "resuming a finished run gives its model");

    JobHarness.Result none = JobHarness.run(TrainJob::run, args(dir.resolve("m4"), dir.resolve("empty"),
        "--set", "training.epochs=10", "--resume"));
    assertEquals(0, none.exitCode(), none.err());
    assertTrue(none.out().contains("no checkpoint under " + dir.resolve("empty") + " yet; starting from the beginning"),
        none.out());
    assertArrayEquals(weights(dir.resolve("m1")), weights(dir.resolve("m4")), 0.0, "a fresh start is the same run");
  }

  @Test
  void aBitFlippedCheckpointIsRefusedNamingTheFileAndTheOlderCheckpoint() throws IOException {
    Path checkpoints = dir.resolve("ckpt");
    JobHarness.Result first = JobHarness.run(TrainJob::run, args(dir.resolve("m1"), checkpoints,
        "--set", "training.epochs=10"));
    assertEquals(0, first.exitCode(), first.err());
    Path params = checkpoints.resolve("epoch-000010").resolve("params.safetensors");
    byte[] bytes = Files.readAllBytes(params);
    bytes[bytes.length - 1] ^= 0x01;
    Files.write(params, bytes);

    JobHarness.Result resumed = JobHarness.run(TrainJob::run, args(dir.resolve("m2"), checkpoints,
        "--set", "training.epochs=10", "--resume"));

    assertEquals(ExitCodes.BAD_DATA, resumed.exitCode(), resumed.err());
    assertTrue(resumed.err().startsWith("error: " + params + ": integrity check failed: sha256 is "), resumed.err());
    assertTrue(resumed.err().endsWith("; an older checkpoint exists: move " + checkpoints.resolve("epoch-000010")
        + " aside and --resume again to continue from " + checkpoints.resolve("epoch-000005") + "\n"), resumed.err());
    assertFalse(Files.exists(dir.resolve("m2")), "no model from a refused checkpoint");
  }

  /** The train job in a child JVM with the test classpath, as a user's process would run. */
  private static Process startChildJob(String[] jobArgs) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(Arrays.asList(System.getProperty("spark.jvm.opens", "").trim().split("\\s+")));
    cmd.add("-Xmx1g");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(TrainJob.class.getName());
    cmd.addAll(List.of(jobArgs));
    cmd.removeIf(String::isEmpty);
    return new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(new File(System.getProperty("java.io.tmpdir"), "resume-test-child.log")).start();
  }
}
