package io.sparkbackprop.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.model.LocalModelStore;
import io.sparkbackprop.model.ModelCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resume refusing a changed config, ignoring a leftover partial checkpoint, and starting afresh
 * without checkpoints. A driver really killed at several points and resumed: {@link DriverKillTest}.
 */
class ResumeTest {
  private static final int EPOCHS = 150;

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
}
