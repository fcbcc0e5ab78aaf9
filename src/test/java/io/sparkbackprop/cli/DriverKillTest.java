package io.sparkbackprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.model.LocalModelStore;
import io.sparkbackprop.model.ModelCodec;
import io.sparkbackprop.model.SafeTensors;
import io.sparkbackprop.train.DirectoryWritePause;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The driver of a training run with checkpoints is killed (SIGKILL, no shutdown hooks) at
 * several points; each time the same job re-run with {@code --resume} must end with the model of
 * one undisturbed run (float64, 1e-9 relative), and the kill must never leave a partial model.
 * Points that are instants of a write are held open with {@link DirectoryWritePause}.
 */
class DriverKillTest {
  /** DESIGN target for a resumed float64 run; in practice the runs agree bit for bit. */
  private static final double SAME_RUN = 1e-9;
  private static final int EPOCHS = 12;
  private static final int EVERY = 5;
  private static final long WAIT_SECONDS = 180;
  /** A pause the test always ends by killing the child. */
  private static final long UNTIL_KILLED_MS = 600_000;
  /** A pause long enough to see reliably, short enough to let the earlier checkpoints pass. */
  private static final long SEEN_PAUSE_MS = 3_000;
  private static final List<String> CHECKPOINT_FILES = List.of("checkpoint.json", "params.safetensors",
      "optimizer.bin");

  @TempDir
  static Path shared;
  /** The undisturbed run: its model's weights and its checkpoints (all kept). */
  private static double[] undisturbed;
  private static Path undisturbedCheckpoints;

  @TempDir
  Path dir;

  @BeforeAll
  static void runUndisturbed() throws IOException {
    undisturbedCheckpoints = shared.resolve("ckpt");
    JobHarness.Result r = JobHarness.run(TrainJob::run, args(shared.resolve("out/model"), undisturbedCheckpoints,
        "--set", "training.checkpoint.keep=" + EPOCHS));
    assertEquals(0, r.exitCode(), r.err());
    undisturbed = weights(shared.resolve("out/model"));
  }

  @Test
  void killedBeforeTheFirstCheckpointTheResumedRunStartsAfresh() throws Exception {
    // The first checkpoint (epoch 5) is held in its pause, so none can be complete at the kill.
    Process child = startChild(DirectoryWritePause.CHECKPOINT_PROPERTY + "=" + UNTIL_KILLED_MS);
    killWhen(child, "the line of epoch 1", () -> log().contains("epoch 1/" + EPOCHS + " "));
    assertNothingPublished();
    assertEquals(List.of(), completeCheckpoints());

    JobHarness.Result resumed = resume();
    assertTrue(resumed.out().contains("no checkpoint under " + checkpoints() + " yet; starting from the beginning"),
        resumed.out());
    assertSameModelAsUndisturbed("before the first checkpoint");
  }

  @Test
  void killedMidEpochBetweenTwoCheckpointsTheResumedRunContinuesFromTheEarlierOne() throws Exception {
    Process child = startChild();
    killWhen(child, "the line of epoch 6", () -> log().contains("epoch 6/" + EPOCHS + " "));
    assertNothingPublished();
    assertEquals(List.of("epoch-000005"), completeCheckpoints());
    assertEquals(List.of(), asideCheckpoints(), "killed before the epoch-10 checkpoint began");

    JobHarness.Result resumed = resume();
    assertTrue(resumed.out().contains("resuming from " + checkpoints() + " after epoch 5 "), resumed.out());
    assertFalse(resumed.out().contains("epoch 5/" + EPOCHS + " "), "a resumed run does not redo epoch 5");
    assertSameModelAsUndisturbed("mid-epoch between two checkpoints");
  }

  @Test
  void killedRightAfterACheckpointLandedTheResumedRunContinuesFromIt() throws Exception {
    Process child = startChild();
    killWhen(child, "checkpoint epoch-000010", () -> Files.isDirectory(checkpoints().resolve("epoch-000010")));
    assertNothingPublished();
    assertEquals(List.of("epoch-000005", "epoch-000010"), completeCheckpoints());

    JobHarness.Result resumed = resume();
    assertTrue(resumed.out().contains("resuming from " + checkpoints() + " after epoch 10 "), resumed.out());
    assertFalse(resumed.out().contains("epoch 1/" + EPOCHS + " "), "a resumed run does not redo epoch 1");
    assertSameModelAsUndisturbed("right after a checkpoint landed");
  }

  @Test
  void killedDuringACheckpointWriteThePartialOneIsIgnoredAndLaterRewritten() throws Exception {
    Process child = startChild(DirectoryWritePause.CHECKPOINT_PROPERTY + "=" + SEEN_PAUSE_MS);
    // The first pause is in the epoch-5 checkpoint, which then completes; the second in epoch 10's.
    killWhen(child, "the second checkpoint write's pause", () -> pauses("params.safetensors") >= 2);
    assertNothingPublished();
    List<String> complete = completeCheckpoints();
    Path partial = partialAfterComplete();
    assertTrue(partial != null, "the kill came inside a checkpoint write after a complete one: "
        + asideCheckpoints());
    int partialEpoch = epochOf(partial.getFileName().toString());
    int resumeEpoch = epochOf(complete.get(complete.size() - 1));
    assertEquals(partialEpoch - EVERY, resumeEpoch, "the newest complete checkpoint is the one before");

    // Checkpoint settings are not part of the run: keep them all to look at the rewritten one.
    JobHarness.Result resumed = resume("--set", "training.checkpoint.keep=" + EPOCHS);
    assertTrue(resumed.out().contains("resuming from " + checkpoints() + " after epoch " + resumeEpoch + " "),
        resumed.out());
    assertSameModelAsUndisturbed("during a checkpoint write (epoch " + partialEpoch + ")");
    assertFalse(Files.exists(partial), "the killed writer's leftover is removed once the checkpoint is rewritten: "
        + partial);
    String name = checkpointName(partialEpoch);
    assertTrue(completeCheckpoints().contains(name), "the same checkpoint written again: " + completeCheckpoints());
    double[] rewritten = checkpointParams(checkpoints().resolve(name));
    double[] reference = checkpointParams(undisturbedCheckpoints.resolve(name));
    assertSameParameters(reference, rewritten, "checkpoint " + name + " rewritten beside the leftover");
  }

  @Test
  void killedDuringTheModelWriteNoPartialModelAppearsAndTheResumedRunWritesItWhole() throws Exception {
    Process child = startChild(DirectoryWritePause.MODEL_PROPERTY + "=" + UNTIL_KILLED_MS);
    killWhen(child, "the model write's pause", () -> pauses(ModelCodec.WEIGHTS_FILE) >= 1);
    assertNothingPublished();
    Path aside = asideModel();
    assertTrue(aside != null && Files.exists(aside.resolve(ModelCodec.WEIGHTS_FILE))
        && !Files.exists(aside.resolve("history.jsonl")), "the kill came inside the model write");
    assertEquals(checkpointName(EPOCHS), completeCheckpoints().get(completeCheckpoints().size() - 1));

    JobHarness.Result resumed = resume();
    assertTrue(resumed.out().contains("resuming from " + checkpoints() + " after epoch " + EPOCHS + " "),
        resumed.out());
    assertSameModelAsUndisturbed("during the final model write");
    assertFalse(Files.exists(aside), "the killed writer's leftover is removed once the model is written: " + aside);
    try (Stream<Path> s = Files.list(model())) {
      assertEquals(List.of("_SUCCESS", "history.jsonl", "metrics.json", "model.json", "training-curves.png",
          "weights.safetensors"), s.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  // ---------------------------------------------------------------------------------------------

  private static String[] args(Path model, Path checkpoints, String... extra) {
    List<String> a = new ArrayList<>(List.of("conf/iris.conf", "--set", "training.precision=float64",
        "--set", "training.epochs=" + EPOCHS, "--set", "training.batchSize=60",
        "--set", "training.checkpoint.everyEpochs=" + EVERY, "--set", "training.checkpoint.keep=2",
        "--set", "training.checkpoint.dir=\"" + checkpoints + "\"",
        "--set", "output.model=\"" + model + "\""));
    a.addAll(List.of(extra));
    return a.toArray(new String[0]);
  }

  private Path model() {
    return dir.resolve("out/model");
  }

  private Path checkpoints() {
    return dir.resolve("ckpt");
  }

  private Path childLog() {
    return dir.resolve("child.log");
  }

  private String log() throws IOException {
    return Files.exists(childLog()) ? Files.readString(childLog()) : "";
  }

  /** How many times the child announced a {@link DirectoryWritePause} after writing {@code file}. */
  private long pauses(String file) throws IOException {
    return log().lines().filter(l -> l.startsWith("fault injection: pausing ") && l.endsWith("/" + file)).count();
  }

  /** The train job in a child JVM with the test classpath, as a user's driver would run. */
  private Process startChild(String... systemProperties) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(Arrays.asList(System.getProperty("spark.jvm.opens", "").trim().split("\\s+")));
    cmd.add("-Xmx1g");
    // C1 only: the child lives seconds, and C2 compiling Spark's startup code doubles its CPU time
    // on two cores. Java arithmetic is the same in every tier; the comparison below checks it.
    cmd.add("-XX:TieredStopAtLevel=1");
    for (String p : systemProperties) {
      cmd.add("-D" + p);
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(TrainJob.class.getName());
    cmd.addAll(List.of(args(model(), checkpoints())));
    cmd.removeIf(String::isEmpty);
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(childLog().toFile()).start();
  }

  interface Condition {
    boolean met() throws IOException;
  }

  /** Waits until {@code ready}, then SIGKILLs the child; kills it also when the wait fails. */
  private void killWhen(Process child, String what, Condition ready) throws Exception {
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
      boolean met = false;
      while (!met && child.isAlive() && System.nanoTime() < deadline) {
        met = ready.met();
        if (!met) {
          Thread.sleep(10);
        }
      }
      assertTrue(met, "no " + what + " within " + WAIT_SECONDS + " s (child alive: " + child.isAlive()
          + "); its output:\n" + log());
      assertTrue(child.isAlive(), "the child ended at " + what + "; its output:\n" + log());
    } finally {
      child.destroyForcibly();   // SIGKILL: no shutdown hooks, no chance to tidy up
      assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the killed child did not end");
    }
  }

  private JobHarness.Result resume(String... extra) {
    List<String> a = new ArrayList<>(List.of(args(model(), checkpoints(), extra)));
    a.add("--resume");
    JobHarness.Result r = JobHarness.run(TrainJob::run, a.toArray(new String[0]));
    assertEquals(0, r.exitCode(), r.err() + "\n" + r.out());
    return r;
  }

  /** Nothing at output.model, and nothing but hidden work directories beside it. */
  private void assertNothingPublished() throws IOException {
    assertFalse(Files.exists(model()), "a killed run must not leave a model at " + model());
    if (Files.exists(model().getParent())) {
      try (Stream<Path> s = Files.list(model().getParent())) {
        List<String> visible = s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).toList();
        assertEquals(List.of(), visible, "files beside output.model after the kill");
      }
    }
  }

  /** The checkpoint directories a resume can see, oldest first; each must hold all its files. */
  private List<String> completeCheckpoints() throws IOException {
    List<String> names = entries(checkpoints()).stream().filter(n -> !n.startsWith(".")).toList();
    for (String n : names) {
      for (String f : CHECKPOINT_FILES) {
        assertTrue(Files.isRegularFile(checkpoints().resolve(n).resolve(f)), n + " lacks " + f);
      }
    }
    return names;
  }

  /** Hidden checkpoint directories being (or left half) written. */
  private List<String> asideCheckpoints() throws IOException {
    return entries(checkpoints()).stream().filter(n -> n.matches("\\.epoch-\\d{6}\\.tmp-.*")).toList();
  }

  /**
   * A checkpoint written aside up to its parameters (no optimizer state yet) that is newer than
   * a complete checkpoint, or null.
   */
  private Path partialAfterComplete() throws IOException {
    List<String> complete = entries(checkpoints()).stream().filter(n -> n.matches("epoch-\\d{6}")).toList();
    if (complete.isEmpty()) {
      return null;
    }
    int newest = epochOf(complete.get(complete.size() - 1));
    for (String n : asideCheckpoints()) {
      Path p = checkpoints().resolve(n);
      if (epochOf(n) > newest && Files.exists(p.resolve("params.safetensors"))
          && !Files.exists(p.resolve("optimizer.bin"))) {
        return p;
      }
    }
    return null;
  }

  /** The hidden directory the model is being written into, or null. */
  private Path asideModel() throws IOException {
    return entries(model().getParent()).stream().filter(n -> n.startsWith(".model.tmp-"))
        .map(n -> model().getParent().resolve(n)).findFirst().orElse(null);
  }

  private static String checkpointName(int epoch) {
    return String.format(Locale.ROOT, "epoch-%06d", epoch);
  }

  private static int epochOf(String checkpointName) {
    return Integer.parseInt(checkpointName.replaceAll("^\\.?epoch-(\\d{6}).*", "$1"));
  }

  private static List<String> entries(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static double[] weights(Path model) throws IOException {
    return ModelCodec.decode(new LocalModelStore(), model.toString()).parameters();
  }

  private static double[] checkpointParams(Path checkpoint) throws IOException {
    return SafeTensors.decode(Files.readAllBytes(checkpoint.resolve("params.safetensors"))).get("params").values();
  }

  private void assertSameModelAsUndisturbed(String killPoint) throws IOException {
    assertSameParameters(undisturbed, weights(model()), "driver killed " + killPoint);
    assertEquals(EPOCHS, Files.readAllLines(model().resolve("history.jsonl")).size(),
        "the resumed model's history covers the whole run");
  }

  /** Equal within {@link #SAME_RUN}; prints the measured difference for the reliability figures. */
  private static void assertSameParameters(double[] expected, double[] actual, String what) {
    assertEquals(expected.length, actual.length, what);
    double maxRelative = 0;
    for (int i = 0; i < expected.length; i++) {
      maxRelative = Math.max(maxRelative, Math.abs(actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i])));
    }
    System.out.printf(Locale.ROOT, "%s: %d parameters, max relative difference %.3g%n", what, expected.length,
        maxRelative);
    assertTrue(maxRelative <= SAME_RUN, what + ": max relative difference " + maxRelative);
  }
}
