package io.sparkbackprop.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A real Spark standalone cluster for integration tests: one Master and some Workers, each a JVM
 * of its own started from the project's Maven dependencies ({@code target/lib}, filled by
 * {@code package}), bound to 127.0.0.1 on free ports, one core each. Workers launch executors as
 * further JVMs, so a test can SIGKILL one. Every log goes to a file under the cluster's directory;
 * {@link #logs} returns their tails for a failing test's message. {@link #close} kills every process
 * the cluster started, executors included.
 */
public final class StandaloneCluster implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  private static final String EXECUTOR_CLASS = "CoarseGrainedExecutorBackend";
  private static final int LOG_TAIL_LINES = 60;

  private final Path dir;
  private final Path sparkHome;
  private final int masterPort = freePort();
  private final int masterUiPort = freePort();
  private Process master;
  private final List<Process> workers = new ArrayList<>();
  /** Kills the cluster if the test JVM exits without closing it (e.g. killed by a timeout). */
  private final Thread shutdownHook = new Thread(this::killQuietly, "stop-standalone-cluster");

  private StandaloneCluster(Path dir) {
    this.dir = dir;
    this.sparkHome = dir.resolve("spark-home");
  }

  /**
   * Starts a Master and {@code workers} Workers (1 core, {@code workerMemory} each, e.g. "1g")
   * under {@code dir} and waits until all workers are registered.
   */
  public static StandaloneCluster start(Path dir, int workers, String workerMemory)
      throws IOException, InterruptedException {
    StandaloneCluster c = new StandaloneCluster(dir);
    Runtime.getRuntime().addShutdownHook(c.shutdownHook);
    try {
      c.launch(workers, workerMemory);
      return c;
    } catch (IOException | InterruptedException | RuntimeException | Error e) {
      c.close();
      throw e;
    }
  }

  private void launch(int workerCount, String workerMemory) throws IOException, InterruptedException {
    // What a Worker needs to launch executors: SPARK_HOME with a jars/ folder (the executors'
    // classpath) and the Scala version, which it would otherwise guess from a Spark build tree.
    Files.createDirectories(sparkHome);
    Files.createSymbolicLink(sparkHome.resolve("jars"), Path.of("target/lib").toAbsolutePath());
    master = daemon("master", List.of("org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
        "--port", String.valueOf(masterPort), "--webui-port", String.valueOf(masterUiPort)));
    for (int i = 0; i < workerCount; i++) {
      Path work = Files.createDirectories(dir.resolve("worker-" + i));
      workers.add(daemon("worker-" + i, List.of("org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
          "--port", "0", "--webui-port", "0", "--cores", "1", "--memory", workerMemory,
          "--work-dir", work.toString(), masterUrl())));
    }
    awaitAliveWorkers(workerCount);
  }

  private Process daemon(String name, List<String> mainAndArgs) throws IOException {
    List<String> command = new ArrayList<>(javaCommand());
    command.addAll(List.of("-Xmx256m", "-Dspark.master.rest.enabled=false", "-cp", "target/lib/*"));
    command.addAll(mainAndArgs);
    ProcessBuilder pb = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve(name + ".log").toFile());
    Map<String, String> env = pb.environment();
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    env.put("SPARK_HOME", sparkHome.toString());
    env.put("SPARK_SCALA_VERSION", "2.13");
    return pb.start();
  }

  /** {@code java} with the JVM flags Spark needs (pom.xml's {@code spark.jvm.opens}). */
  public static List<String> javaCommand() {
    String opens = System.getProperty("spark.jvm.opens");
    if (opens == null || opens.isBlank()) {
      throw new IllegalStateException("system property spark.jvm.opens is not set (see pom.xml)");
    }
    List<String> c = new ArrayList<>();
    c.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    c.addAll(Arrays.asList(opens.trim().split("\\s+")));
    return c;
  }

  public String masterUrl() {
    return "spark://127.0.0.1:" + masterPort;
  }

  private void awaitAliveWorkers(int expected) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + masterUiPort + "/json/"))
        .timeout(Duration.ofSeconds(5)).build();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    int alive = -1;
    while (System.nanoTime() < deadline) {
      List<String> dead = new ArrayList<>();
      if (!master.isAlive()) {
        dead.add("master");
      }
      for (int i = 0; i < workers.size(); i++) {
        if (!workers.get(i).isAlive()) {
          dead.add("worker-" + i);
        }
      }
      if (!dead.isEmpty()) {
        throw new IllegalStateException(dead + " exited while the cluster was starting\n" + logs());
      }
      try {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          alive = new ObjectMapper().readTree(r.body()).path("aliveworkers").asInt(-1);
          if (alive == expected) {
            return;
          }
        }
      } catch (IOException e) {
        // the master's web UI is not up yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("after " + START_TIMEOUT.toSeconds() + " s, " + Math.max(alive, 0) + " of "
        + expected + " workers are registered with the master\n" + logs());
  }

  /** The executor JVMs the workers have launched and that are still running. */
  public List<ProcessHandle> executors() {
    return workers.stream().flatMap(Process::descendants).filter(ProcessHandle::isAlive)
        .filter(p -> commandLine(p).contains(EXECUTOR_CLASS)).toList();
  }

  /** The Spark executor id of an executor JVM (its {@code --executor-id} argument). */
  public static String executorId(ProcessHandle executor) {
    String[] args = executor.info().arguments().orElse(new String[0]);
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals("--executor-id")) {
        return args[i + 1];
      }
    }
    throw new IllegalStateException("no --executor-id in " + commandLine(executor));
  }

  /** SIGKILLs {@code executor} (destroyForcibly: no shutdown hooks run) and waits until it is gone. */
  public static void kill(ProcessHandle executor) throws InterruptedException {
    executor.destroyForcibly();
    awaitExit(executor);
  }

  private static String commandLine(ProcessHandle p) {
    return p.info().commandLine().orElse("");
  }

  private static void awaitExit(ProcessHandle p) throws InterruptedException {
    try {
      p.onExit().get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("process " + p.pid() + " did not exit within "
          + STOP_TIMEOUT.toSeconds() + " s of SIGKILL", e);
    }
  }

  /** The last lines of every log of the cluster: master, workers and executors (stdout, stderr). */
  public String logs() {
    StringBuilder sb = new StringBuilder();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(p -> Files.isRegularFile(p) && isLog(p)).sorted().toList()) {
        sb.append(tail(f, LOG_TAIL_LINES));
      }
    } catch (IOException | UncheckedIOException e) {
      sb.append("(cannot list the logs under ").append(dir).append(": ").append(e).append(")\n");
    }
    return sb.toString();
  }

  private static boolean isLog(Path p) {
    String name = p.getFileName().toString();
    return name.endsWith(".log") || name.equals("stderr") || name.equals("stdout");
  }

  /** The last {@code lines} lines of {@code file}, headed by its name. */
  public static String tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
      return "----- " + file + " (last " + Math.min(lines, all.size()) + " of " + all.size() + " lines)\n"
          + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size())) + "\n";
    } catch (IOException | UncheckedIOException e) {
      return "----- " + file + ": cannot read: " + e + "\n";
    }
  }

  /**
   * Kills every process this cluster started: the executors (also those the workers' deaths
   * orphaned, found by this cluster's Spark home on their command line), the workers, the master.
   */
  @Override
  public void close() throws InterruptedException {
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down already; the hook runs or has run
    }
    kill();
  }

  private void killQuietly() {
    try {
      kill();
    } catch (InterruptedException | RuntimeException e) {
      // best effort while the JVM exits
    }
  }

  private void kill() throws InterruptedException {
    List<ProcessHandle> started = new ArrayList<>();
    for (Process w : workers) {
      started.addAll(w.descendants().toList());
      started.add(w.toHandle());
    }
    if (master != null) {
      started.addAll(master.descendants().toList());
      started.add(master.toHandle());
    }
    started.forEach(ProcessHandle::destroyForcibly);
    // An executor a worker launched after the snapshot above outlives its worker as an orphan.
    String home = sparkHome.toString();
    ProcessHandle.allProcesses().filter(p -> commandLine(p).contains(home)
        && commandLine(p).contains(EXECUTOR_CLASS)).forEach(p -> {
          p.destroyForcibly();
          started.add(p);
        });
    for (ProcessHandle p : started) {
      awaitExit(p);
    }
  }

  /** A TCP port free on 127.0.0.1 right now. */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
