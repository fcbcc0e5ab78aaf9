package io.sparkbackprop.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkbackprop.model.LocalModelStore;
import io.sparkbackprop.model.ModelCodec;
import io.sparkbackprop.train.FaultInjection;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * The packaged jar on a real Spark standalone cluster (a Master and two one-core Workers, separate
 * JVMs), submitted through Spark's own SparkSubmit as a user would, float64 throughout:
 * <ul>
 *   <li>an undisturbed run trains the same model as embedded Spark ({@code local[2]});
 *   <li>an executor JVM SIGKILLed in the middle of training: Spark replaces it, recomputes its
 *       cached blocks, and the model is the undisturbed run's;
 *   <li>a task that fails once is retried and the model is unchanged; a task that fails on every
 *       attempt stops the job after {@code spark.task.maxFailures} with one error line and exit
 *       70, and the previous model at {@code output.model} is left byte for byte.
 * </ul>
 * The training data is Iris split into three CSV files, so {@code training.partitions = 2}
 * repartitions rows that come from several map outputs: a recomputed partition receives them in
 * whatever order the fetches complete.
 */
class ClusterIT {
  /** DESIGN target for float64 runs of the same steps; measured: the runs agree bit for bit. */
  private static final double SAME_MODEL = 1e-9;
  private static final int EPOCHS = 20;
  /** About 116 training rows (80%) in batches of 24: 5 steps per epoch, 100 steps in all. */
  private static final int BATCH_SIZE = 24;
  private static final int KILL_AFTER_EPOCH = 5;
  private static final int FAIL_ONCE_STEP = 31;
  private static final int FAIL_ALWAYS_STEP = 3;
  private static final long RUN_TIMEOUT_SECONDS = 300;
  private static final int LOG_TAIL_LINES = 80;

  /** Logs, data, models and the cluster's work directories; kept after the run for inspection. */
  private static final Path dir = Path.of("target", "cluster-it").toAbsolutePath();

  private static StandaloneCluster cluster;
  private static String trainPath;
  private static Path undisturbedModel;

  /** Submissions of the current test, stopped after it and shown when it fails. */
  private static final List<Submission> submissions = new CopyOnWriteArrayList<>();

  @RegisterExtension
  static final TestWatcher LOGS_ON_FAILURE = new TestWatcher() {
    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
      StringBuilder sb = new StringBuilder("===== logs of the failed test " + context.getDisplayName() + "\n");
      for (Submission s : submissions) {
        sb.append(StandaloneCluster.tail(s.out, LOG_TAIL_LINES)).append(StandaloneCluster.tail(s.err, LOG_TAIL_LINES));
      }
      if (cluster != null) {
        sb.append(cluster.logs());
      }
      System.out.println(sb);
    }
  };

  @BeforeAll
  static void startCluster() throws Exception {
    if (Files.exists(dir)) {
      try (Stream<Path> s = Files.walk(dir)) {
        for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    trainPath = splitIntoFiles(Path.of("data-samples/iris/iris.csv"), 3, Files.createDirectories(dir.resolve("iris")));
    cluster = StandaloneCluster.start(dir.resolve("cluster"), 2, "1g");
  }

  @AfterAll
  static void stopCluster() throws InterruptedException {
    if (cluster != null) {
      cluster.close();
    }
  }

  @AfterEach
  void stopSubmissions() throws InterruptedException {
    for (Submission s : submissions) {
      s.process.destroyForcibly();
      s.process.waitFor(30, TimeUnit.SECONDS);
    }
    submissions.clear();
  }

  /** The rows of a CSV file spread over {@code n} files with its header; returns their glob. */
  private static String splitIntoFiles(Path csv, int n, Path into) throws IOException {
    List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
    List<String> rows = lines.subList(1, lines.size());
    for (int i = 0; i < n; i++) {
      List<String> part = new ArrayList<>(List.of(lines.get(0)));
      part.addAll(rows.subList(i * rows.size() / n, (i + 1) * rows.size() / n));
      Files.write(into.resolve("part-" + i + ".csv"), part, StandardCharsets.UTF_8);
    }
    return into.resolve("part-*.csv").toString();
  }

  /** A running spark-submit of the train job, its stdout and stderr in files. */
  private record Submission(Process process, Path out, Path err) {
    String stdout() throws IOException {
      return Files.readString(out, StandardCharsets.UTF_8);
    }

    String stderr() throws IOException {
      return Files.readString(err, StandardCharsets.UTF_8);
    }

    /** Waits until stdout contains {@code text}; fails if the job ends first or time runs out. */
    void awaitOutput(String text) throws IOException, InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(RUN_TIMEOUT_SECONDS);
      while (!stdout().contains(text)) {
        if (!process.isAlive()) {
          throw new AssertionError("the job ended (exit " + process.exitValue() + ") before printing '"
              + text + "'");
        }
        if (System.nanoTime() > deadline) {
          throw new AssertionError("no '" + text + "' after " + RUN_TIMEOUT_SECONDS + " s");
        }
        Thread.sleep(50);
      }
    }

    int awaitExit() throws InterruptedException {
      if (!process.waitFor(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        throw new AssertionError("the job did not finish within " + RUN_TIMEOUT_SECONDS + " s");
      }
      return process.exitValue();
    }
  }

  /**
   * Starts {@code spark-submit --master MASTER [--conf k=v]... --class TrainJob
   * target/spark-backprop.jar conf/iris.conf --set ...} with SparkSubmit from Maven's jars.
   */
  private static Submission submit(String name, String master, Path model, String... conf) throws IOException {
    return submit(name, master, model, List.of(), conf);
  }

  /** {@link #submit(String, String, Path, String...)} with more {@code --set} overrides. */
  private static Submission submit(String name, String master, Path model, List<String> sets, String... conf)
      throws IOException {
    List<String> c = new ArrayList<>(StandaloneCluster.javaCommand());
    c.addAll(List.of("-Xmx1g", "-cp", "target/spark-backprop.jar:target/lib/*", "org.apache.spark.deploy.SparkSubmit",
        "--master", master,
        // The executors' JVMs get the same BLAS as the driver's (Java Vector API when there is no
        // native OpenBLAS), so float64 runs can agree bit for bit.
        "--conf", "spark.executor.extraJavaOptions=--add-modules=jdk.incubator.vector",
        "--conf", "spark.executor.memory=512m",
        // As on a cluster with one executor per host: a lost executor's shuffle files are lost
        // with it, rather than read from the disk the executors here share.
        "--conf", "spark.shuffle.readHostLocalDisk=false",
        // Start once both executors are there, so each holds one of the two cached partitions.
        "--conf", "spark.scheduler.minRegisteredResourcesRatio=1.0",
        "--conf", "spark.scheduler.maxRegisteredResourcesWaitingTime=180s"));
    for (String kv : conf) {
      c.addAll(List.of("--conf", kv));
    }
    if (Arrays.stream(conf).noneMatch(kv -> kv.startsWith("spark.ui."))) {
      c.addAll(List.of("--conf", "spark.ui.enabled=false"));
    }
    c.addAll(List.of("--class", "io.sparkbackprop.cli.TrainJob", "target/spark-backprop.jar", "conf/iris.conf",
        "--set", "training.precision=float64", "--set", "training.epochs=" + EPOCHS,
        "--set", "training.batchSize=" + BATCH_SIZE, "--set", "data.train.path=\"" + trainPath + "\"",
        "--set", "output.model=\"" + model + "\""));
    for (String kv : sets) {
      c.addAll(List.of("--set", kv));
    }
    Path out = dir.resolve(name + ".out");
    Path err = dir.resolve(name + ".err");
    ProcessBuilder pb = new ProcessBuilder(c).redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    Submission s = new Submission(pb.start(), out, err);
    submissions.add(s);
    return s;
  }

  private static double[] weights(Path model) throws IOException {
    return ModelCodec.decode(new LocalModelStore(), model.toString()).parameters();
  }

  /** max over parameters of |a - b| / max(|a|, |b|) (0 where both are 0). */
  static double maxRelativeDifference(double[] a, double[] b) {
    assertEquals(a.length, b.length, "parameter count");
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      double scale = Math.max(Math.abs(a[i]), Math.abs(b[i]));
      if (a[i] != b[i]) {
        max = Math.max(max, scale == 0 ? 0 : Math.abs(a[i] - b[i]) / scale);
      }
    }
    return max;
  }

  private static void assertSameModel(Path expected, Path actual, String what) throws IOException {
    double d = maxRelativeDifference(weights(expected), weights(actual));
    System.out.printf("ClusterIT measured: %s: max relative weight difference %s%n", what, d);
    assertTrue(d <= SAME_MODEL, what + ": max relative weight difference " + d + " > " + SAME_MODEL);
  }

  /** The undisturbed cluster run's model; trained by the first test that needs it. */
  private static synchronized Path undisturbedModel() throws Exception {
    if (undisturbedModel == null) {
      Path model = dir.resolve("undisturbed");
      Submission s = submit("undisturbed", cluster.masterUrl(), model);
      assertEquals(0, s.awaitExit(), "undisturbed cluster run");
      undisturbedModel = model;
    }
    return undisturbedModel;
  }

  @Test
  void anUndisturbedClusterRunTrainsTheSameModelAsEmbeddedSpark() throws Exception {
    Path local = dir.resolve("local");
    Submission s = submit("local", "local[2]", local);
    assertEquals(0, s.awaitExit(), "embedded run");
    Path onCluster = undisturbedModel();
    assertSameModel(local, onCluster, "undisturbed cluster run vs local[2]");
  }

  @Test
  void anExecutorKilledDuringTrainingIsReplacedAndTheModelIsUnchanged() throws Exception {
    int uiPort = StandaloneCluster.freePort();
    Path model = dir.resolve("executor-killed");
    Submission s = submit("executor-killed", cluster.masterUrl(), model, "spark.ui.port=" + uiPort);
    s.awaitOutput("epoch " + KILL_AFTER_EPOCH + "/" + EPOCHS + " ");
    String victimId = executorHoldingCachedBlocks(uiPort);
    ProcessHandle victim = cluster.executors().stream()
        .filter(p -> StandaloneCluster.executorId(p).equals(victimId)).findFirst()
        .orElseThrow(() -> new AssertionError("no JVM for executor " + victimId + " among the workers' children"));
    StandaloneCluster.kill(victim);
    assertFalse(victim.isAlive());
    String atKill = s.stdout();
    assertFalse(atKill.contains("epoch " + EPOCHS + "/" + EPOCHS + " "), "killed before the end:\n" + atKill);

    assertEquals(0, s.awaitExit(), "the run survives the lost executor");
    assertTrue(s.stdout().contains("epoch " + EPOCHS + "/" + EPOCHS + " "), s.stdout());
    assertTrue(s.stderr().contains("Lost executor " + victimId + " "), "the driver saw executor " + victimId + " go");
    System.out.printf("ClusterIT measured: executor %s (pid %d) SIGKILLed after epoch %d of %d; the driver's log "
        + "then has%n%s%n", victimId, victim.pid(), KILL_AFTER_EPOCH, EPOCHS, recoveryLines(s.stderr()));
    assertSameModel(undisturbedModel(), model, "executor killed after epoch " + KILL_AFTER_EPOCH
        + " vs undisturbed cluster run");
  }

  /** The driver's log lines on how Spark recovered from a lost executor. */
  private static String recoveryLines(String driverLog) {
    return driverLog.lines().filter(l -> l.contains("Lost executor") || l.contains("Executor added")
        || l.contains("FetchFailed") || l.contains("Resubmitting") || l.contains("Shuffle files lost")
        || l.contains("Not counting this failure") || l.contains("missing tasks from ShuffleMapStage")).map(l -> "  " + l).collect(Collectors.joining("\n"));
  }

  /** The id of an executor that holds cached partitions, from the driver's REST API. */
  private static String executorHoldingCachedBlocks(int uiPort) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    String base = "http://127.0.0.1:" + uiPort + "/api/v1/applications";
    JsonNode apps = get(http, base);
    String app = apps.get(0).get("id").asText();
    for (JsonNode e : get(http, base + "/" + app + "/executors")) {
      if (!"driver".equals(e.get("id").asText()) && e.get("rddBlocks").asInt() > 0) {
        return e.get("id").asText();
      }
    }
    throw new AssertionError("no executor holds cached blocks: " + get(http, base + "/" + app + "/executors"));
  }

  private static JsonNode get(HttpClient http, String url) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), url + ": " + r.body());
    return new ObjectMapper().readTree(r.body());
  }

  @Test
  void aTaskThatFailsOnceIsRetriedAndTheModelIsUnchanged() throws Exception {
    Path model = dir.resolve("fails-once");
    Submission s = submit("fails-once", cluster.masterUrl(), model,
        FaultInjection.FAIL_STEP + "=" + FAIL_ONCE_STEP, FaultInjection.FAIL_ATTEMPTS + "=1");
    assertEquals(0, s.awaitExit(), "the run survives a task that failed once");
    String err = s.stderr();
    assertTrue(err.contains("Lost task 0.0 in stage ") && err.contains("InjectedFault"), "the task did fail once");
    assertFalse(err.contains("Lost task 0.1 in stage "), "and was not retried twice");
    assertSameModel(undisturbedModel(), model, "task failed once at step " + FAIL_ONCE_STEP + " vs undisturbed run");
  }

  @Test
  void aTaskThatFailsEveryAttemptStopsTheJobWithOneLineAndLeavesThePreviousModel() throws Exception {
    Path model = dir.resolve("previous");
    copyDirectory(undisturbedModel(), model);
    Map<String, byte[]> before = files(model);

    Submission s = submit("fails-always", cluster.masterUrl(), model,
        FaultInjection.FAIL_STEP + "=" + FAIL_ALWAYS_STEP, FaultInjection.FAIL_ATTEMPTS + "=100");
    assertEquals(70, s.awaitExit());
    List<String> err = s.stderr().lines().toList();
    List<String> errors = err.stream().filter(l -> l.startsWith("error: ")).toList();
    assertEquals(List.of("error: training step " + FAIL_ALWAYS_STEP + " failed: task for partition 0 failed 4 times: "
        + "io.sparkbackprop.train.FaultInjection$InjectedFault: fault injected by " + FaultInjection.FAIL_STEP + "="
        + FAIL_ALWAYS_STEP + " in partition 0, attempt 4 of the 100 that fail"), errors);
    int at = err.indexOf(errors.get(0));
    assertTrue(at + 1 == err.size() || !err.get(at + 1).startsWith("\tat "), "no stack trace after the error line");
    System.out.println("ClusterIT measured: " + errors.get(0));

    Map<String, byte[]> after = files(model);
    assertEquals(before.keySet(), after.keySet(), "the previous model's files");
    before.forEach((name, bytes) -> assertTrue(Arrays.equals(bytes, after.get(name)), name + " changed"));
  }

  private static final List<String> PERSISTENT = List.of("training.exchange=persistentTasks");

  @Test
  void persistentTasksOnTheClusterTrainTheSameModel() throws Exception {
    Path model = dir.resolve("persistent");
    Submission s = submit("persistent", cluster.masterUrl(), model, PERSISTENT);
    assertEquals(0, s.awaitExit(), "persistent-tasks cluster run");
    assertSameModel(undisturbedModel(), model, "training.exchange = persistentTasks vs treeAggregate, cluster");
  }

  @Test
  void persistentTasksSurviveAKilledExecutorAndTheModelIsUnchanged() throws Exception {
    Path model = dir.resolve("persistent-executor-killed");
    Submission s = submit("persistent-executor-killed", cluster.masterUrl(), model, PERSISTENT);
    s.awaitOutput("epoch " + KILL_AFTER_EPOCH + "/" + EPOCHS + " ");
    ProcessHandle victim = cluster.executors().get(0);
    StandaloneCluster.kill(victim);
    assertEquals(0, s.awaitExit(), "the run survives the lost executor");
    // The kill lands in an epoch's barrier job (the driver submits the epoch again) or in the
    // evaluation between two (its tasks are rescheduled); the model must not depend on which.
    System.out.printf("ClusterIT measured: persistent tasks, executor pid %d SIGKILLed after epoch %d of %d;"
        + " repeated epochs: %s%n", victim.pid(), KILL_AFTER_EPOCH, EPOCHS,
        s.stdout().lines().filter(l -> l.contains("repeating the epoch")).toList());
    assertSameModel(undisturbedModel(), model, "persistent tasks, executor killed vs undisturbed run");
  }

  private static void copyDirectory(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> s = Files.list(from)) {
      for (Path f : s.toList()) {
        Files.copy(f, to.resolve(f.getFileName()));
      }
    }
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
}
