package io.sparkbackprop.bench;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Driver memory by number of training rows: the same network trained on 784-feature, 10-class
 * synthetic rows (Fashion-MNIST's shape) at several row counts, each in a JVM of its own so heaps
 * never mix. {@link MemoryRun} is what runs in each child; this class starts them one after the
 * other, collects their figures and prints the table.
 */
@Command(name = "memory", mixinStandardHelpOptions = true,
    description = {"Driver memory by number of training rows, one child JVM per row count and master.",
        "In local[N] the driver and the executors share one JVM: the driver's share is estimated as the "
            + "heap retained after a full GC minus the bytes of the cached blocks. With local-cluster[W,C,MB] "
            + "the executors are separate JVMs and the driver's retained heap is measured directly."})
final class MemoryBench implements Callable<Integer> {
  @Mixin
  BenchOptions common;

  @Option(names = "--rows", split = ",", description = "training row counts (default ${DEFAULT-VALUE})")
  long[] rows = {15_000, 30_000, 60_000, 120_000};

  @Option(names = "--masters", split = ";",
      description = "Spark masters, separated by ';', each run at every row count (default: --master). "
          + "local-cluster[W,C,MB] needs the packaged jar's target/lib (jobs/bench.sh builds it)")
  List<String> masters;

  @Option(names = "--validation-ratio",
      description = "validation rows per training row, evaluated every epoch (default 1/6, as 10k/60k)")
  double validationRatio = 1.0 / 6;

  @Option(names = "--hidden", split = ",", description = "hidden layer sizes (default ${DEFAULT-VALUE})")
  int[] hidden = {256, 128};

  @Option(names = "--epochs", description = "(default ${DEFAULT-VALUE})")
  int epochs = 2;

  @Option(names = "--batch", description = "global batch size (default ${DEFAULT-VALUE})")
  int batch = 1024;

  @Option(names = "--precision", description = "float32 or float64 (default ${DEFAULT-VALUE})")
  String precision = "float32";

  @Option(names = "--child-heap", description = "-Xmx of every child JVM (default ${DEFAULT-VALUE})")
  String childHeap = "6g";

  @Option(names = "--executor-memory",
      description = "spark.executor.memory with local-cluster masters (default ${DEFAULT-VALUE})")
  String executorMemory = "2g";

  @Option(names = "--child-java-option", description = "extra JVM option of the children (repeatable)")
  List<String> childJavaOptions = new ArrayList<>();

  @Option(names = "--histogram", description = "largest classes of the child JVM's live-heap histogram kept per run (default ${DEFAULT-VALUE})")
  int histogram = 12;

  @Option(names = "--timeout-minutes", description = "per child JVM (default ${DEFAULT-VALUE})")
  long timeoutMinutes = 30;

  @Override
  public Integer call() throws Exception {
    List<String> runMasters = masters == null || masters.isEmpty() ? List.of(common.master) : masters;
    Report report = new Report("memory", System.out);
    report.put("hidden", Arrays.toString(hidden)).put("epochs", epochs).put("batchSize", batch)
        .put("precision", precision).put("partitions", common.partitions).put("childHeap", childHeap)
        .put("validationRatio", validationRatio);
    Path work = Files.createTempDirectory("bench-memory");
    List<Map<String, Object>> runs = new ArrayList<>();
    try {
      for (String master : runMasters) {
        for (long n : rows) {
          Map<String, Object> run = child(master, n, work);
          runs.add(run);
          System.out.println("memory " + run);
        }
      }
    } finally {
      try (var files = Files.walk(work)) {   // does not follow the jars link
        for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(f);
        }
      }
    }
    report.put("runs", runs);
    System.out.println();
    System.out.print(table(runs));
    report.append(common.results);
    return 0;
  }

  /** One training run in a child JVM; its figures. */
  private Map<String, Object> child(String master, long n, Path work) throws IOException, InterruptedException {
    Path out = work.resolve("run-" + n + "-" + Math.abs(master.hashCode()) + ".json");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (!a.startsWith("-Xmx") && !a.startsWith("-Xms") && !a.startsWith("-agentlib")) {
        cmd.add(a);
      }
    }
    cmd.add("-Xmx" + childHeap);
    cmd.addAll(childJavaOptions);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(BenchJob.class.getName());
    cmd.addAll(List.of("memory-run", "--master", master, "--partitions", String.valueOf(common.partitions),
        "--rows", String.valueOf(n), "--validation-rows", String.valueOf(Math.round(n * validationRatio)),
        "--hidden", joined(hidden), "--epochs", String.valueOf(epochs), "--batch", String.valueOf(batch),
        "--precision", precision, "--executor-memory", executorMemory,
        "--histogram", String.valueOf(histogram), "--out", out.toString()));
    for (Map.Entry<String, String> e : common.sparkConf.entrySet()) {
      cmd.addAll(List.of("--conf", e.getKey() + "=" + e.getValue()));
    }
    ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
    if (master.startsWith("local-cluster")) {
      MemoryRun.clusterEnvironment(pb.environment(), work);
    }
    Process p = pb.start();
    try {
      if (!p.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
        throw new IllegalStateException("the run of " + n + " rows on " + master + " did not end within "
            + timeoutMinutes + " minutes");
      }
      if (p.exitValue() != 0 || !Files.exists(out)) {
        throw new IllegalStateException("the run of " + n + " rows on " + master + " failed (exit code "
            + p.exitValue() + "); its output is above");
      }
    } finally {
      if (p.isAlive()) {
        p.destroyForcibly();
        p.waitFor(60, TimeUnit.SECONDS);
      }
    }
    return new ObjectMapper().readValue(out.toFile(), new TypeReference<LinkedHashMap<String, Object>>() { });
  }

  private static String joined(int[] v) {
    return String.join(",", Arrays.stream(v).mapToObj(String::valueOf).toList());
  }

  /** The runs as a Markdown table, sizes in MB (10^6 bytes). */
  static String table(List<Map<String, Object>> runs) {
    StringBuilder s = new StringBuilder("| master | rows | steps | cached train + validation MB | heap after GC, end of training MB "
        + "| driver (see method) MB | driver after unpersist MB | peak heap, training MB |\n"
        + "|---|---|---|---|---|---|---|---|\n");
    for (Map<String, Object> r : runs) {
      s.append("| ").append(r.get("master"))
          .append(" | ").append(r.get("trainRows"))
          .append(" | ").append(r.get("steps"))
          .append(" | ").append(mb(r.get("cachedTrainBytes"))).append(" + ").append(mb(r.get("cachedValidationBytes")))
          .append(" | ").append(mb(r.get("heapAfterGcEndOfTraining")))
          .append(" | ").append(mb(r.get("driverBytes")))
          .append(" | ").append(mb(r.get("heapAfterGcUnpersisted")))
          .append(" | ").append(mb(r.get("peakHeapTraining")))
          .append(" |\n");
    }
    return s.toString();
  }

  private static String mb(Object bytes) {
    return String.format("%.1f", ((Number) bytes).doubleValue() / 1e6);
  }
}
