package io.sparkbackprop.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.SparkTestSession;
import io.sparkbackprop.model.LocalModelStore;
import io.sparkbackprop.model.ModelCodec;
import io.sparkbackprop.train.FaultInjection;
import io.sparkbackprop.train.SparkSessions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.apache.spark.ExceptionFailure;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training task that fails, in-process: Spark retries it and the model is unchanged, or it
 * fails on every attempt and the job stops with one line and exit 70, leaving the previous model
 * as it was. Runs on {@code local[2,4]} (local mode with 4 attempts per task) in sessions of its
 * own, since the fault injection is Spark conf, fixed when a session starts.
 */
class TaskFailureTest {
  private static final int FAIL_STEP = 6;

  @TempDir
  Path dir;

  private SparkSession session;

  @AfterEach
  void stopOwnSession() {
    if (session != null) {
      session.stop();   // the next test's SparkTestSession.get() starts the shared one again
    }
  }

  /** A local[2,4] session with the given fault injection, in place of the shared one. */
  private void startSession(int failAttempts) {
    SparkTestSession.stop();
    session = SparkSession.builder()
        .config(SparkSessions.baseConf())
        .master("local[2,4]")
        .appName("spark-backprop-task-failure-test")
        .config("spark.kryo.registrationRequired", "true")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config(FaultInjection.FAIL_STEP, String.valueOf(FAIL_STEP))
        .config(FaultInjection.FAIL_ATTEMPTS, String.valueOf(failAttempts))
        .getOrCreate();
  }

  /** The task failures a session's listener bus reports. */
  private static final class FailedTasks extends SparkListener {
    private final List<String> seen = new CopyOnWriteArrayList<>();

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
      if (end.reason() instanceof ExceptionFailure f) {
        seen.add(f.className().substring(f.className().lastIndexOf('$') + 1) + " in partition "
            + end.taskInfo().partitionId() + ", attempt " + end.taskInfo().attemptNumber());
      }
    }

    /** The failures seen once there are {@code n} (the bus delivers asynchronously), or after 30 s. */
    List<String> await(int n) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (seen.size() < n && System.nanoTime() < deadline) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
      }
      return List.copyOf(seen);
    }
  }

  private String[] args(Path model) {
    return new String[] {"conf/iris.conf", "--set", "training.precision=float64", "--set", "training.epochs=4",
        "--set", "output.model=\"" + model + "\""};
  }

  private String[] persistentArgs(Path model) {
    List<String> a = new ArrayList<>(List.of(args(model)));
    a.addAll(List.of("--set", "training.exchange=persistentTasks"));
    return a.toArray(new String[0]);
  }

  private static double[] weights(Path model) throws IOException {
    return ModelCodec.decode(new LocalModelStore(), model.toString()).parameters();
  }

  private static Map<String, byte[]> files(Path dir) throws IOException {
    Map<String, byte[]> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        m.put(dir.relativize(p).toString(), Files.readAllBytes(p));
      }
    }
    return m;
  }

  @Test
  void aTaskThatFailsOnceIsRetriedAndTheModelIsUnchanged() throws IOException {
    JobHarness.Result undisturbed = JobHarness.run(TrainJob::run, args(dir.resolve("undisturbed")));
    assertEquals(0, undisturbed.exitCode(), undisturbed.err());

    startSession(1);
    FailedTasks failedTasks = new FailedTasks();
    session.sparkContext().addSparkListener(failedTasks);
    JobHarness.Result retried = JobHarness.runWithoutSpark(TrainJob::run, args(dir.resolve("retried")));
    assertEquals(0, retried.exitCode(), retried.err());
    assertEquals(List.of("InjectedFault in partition 0, attempt 0"), failedTasks.await(1));

    assertArrayEquals(weights(dir.resolve("undisturbed")), weights(dir.resolve("retried")), 0.0);
  }

  @Test
  void aTaskThatFailsEveryAttemptStopsTheJobWithOneLineAndLeavesThePreviousModel() throws IOException {
    Path model = dir.resolve("model");
    JobHarness.Result previous = JobHarness.run(TrainJob::run, args(model));
    assertEquals(0, previous.exitCode(), previous.err());
    Map<String, byte[]> before = files(model);

    startSession(100);
    JobHarness.Result failed = JobHarness.runWithoutSpark(TrainJob::run, args(model));

    assertEquals(ExitCodes.INTERNAL, failed.exitCode(), failed.err());
    List<String> lines = failed.err().lines().toList();
    assertEquals(1, lines.size(), failed.err());
    assertEquals("error: training step " + FAIL_STEP + " failed: task for partition 0 failed 4 times: "
        + "io.sparkbackprop.train.FaultInjection$InjectedFault: fault injected by " + FaultInjection.FAIL_STEP
        + "=" + FAIL_STEP + " in partition 0, attempt 4 of the 100 that fail", lines.get(0));
    assertTrue(failed.out().contains("epoch 1/4 "), "the first epoch ran: " + failed.out());
    Map<String, byte[]> after = files(model);
    assertEquals(before.keySet(), after.keySet());
    List<String> changed = new ArrayList<>();
    before.forEach((name, bytes) -> {
      if (!java.util.Arrays.equals(bytes, after.get(name))) {
        changed.add(name);
      }
    });
    assertEquals(List.of(), changed, "files of the previous model that changed");
  }

  /**
   * With persistent tasks a failed task fails the epoch's barrier job; the driver submits it again
   * and its tasks repeat the epoch from its start, as does the driver: the model is unchanged (equal to
   * a job per step's, bit for bit).
   */
  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void aPersistentTaskThatFailsOnceRestartsTheEpochAndTheModelIsUnchanged() throws IOException {
    JobHarness.Result undisturbed = JobHarness.run(TrainJob::run, args(dir.resolve("undisturbed")));
    assertEquals(0, undisturbed.exitCode(), undisturbed.err());

    startSession(1);
    FailedTasks failedTasks = new FailedTasks();
    session.sparkContext().addSparkListener(failedTasks);
    JobHarness.Result retried = JobHarness.runWithoutSpark(TrainJob::run,
        persistentArgs(dir.resolve("retried")));
    assertEquals(0, retried.exitCode(), retried.err());
    assertEquals(List.of("InjectedFault in partition 0, attempt 0"), failedTasks.await(1));
    assertTrue(retried.out().contains("the persistent tasks of epoch 2 failed; repeating the epoch from its"
        + " start, attempt 2 of 4 after partition 0: io.sparkbackprop.train.FaultInjection$InjectedFault: fault"
        + " injected by " + FaultInjection.FAIL_STEP + "=" + FAIL_STEP + " in partition 0, attempt 1 of the 1 that"
        + " fail"), retried.out());

    assertArrayEquals(weights(dir.resolve("undisturbed")), weights(dir.resolve("retried")), 0.0);
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void aPersistentTaskThatFailsEveryAttemptStopsTheJobWithOneLine() throws IOException {
    startSession(100);
    JobHarness.Result failed = JobHarness.runWithoutSpark(TrainJob::run, persistentArgs(dir.resolve("m")));

    assertEquals(ExitCodes.INTERNAL, failed.exitCode(), failed.err());
    List<String> lines = failed.err().lines().toList();
    assertEquals(1, lines.size(), failed.err());
    assertEquals("error: training step " + FAIL_STEP + " failed: persistent tasks failed 4 times, last in"
        + " partition 0: io.sparkbackprop.train.FaultInjection$InjectedFault: fault injected by "
        + FaultInjection.FAIL_STEP + "=" + FAIL_STEP + " in partition 0, attempt 4 of the 100 that fail",
        lines.get(0));
    assertTrue(Files.notExists(dir.resolve("m")), "no model is written");
  }
}
