package io.sparkbackprop.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.TaskInfo;

/**
 * Splits the wall time of Spark jobs (one per training step) with Spark's own timestamps and task
 * metrics, millisecond resolution:
 * <ul>
 *   <li>{@code schedule}: job submitted to first task launched (DAG scheduler, task binary
 *       broadcast, task serialisation);
 *   <li>{@code compute}: the longest task's run time (the seqOp: forward/backward of the shard);
 *   <li>{@code taskIo}: the longest task's deserialisation plus result serialisation;
 *   <li>{@code collect}: last task finished to job end (result transfer, driver-side merge);
 *   <li>{@code between}: job end to the next job's start (driver: optimizer step, weight
 *       broadcast, listener lag).
 * </ul>
 */
final class JobTimes extends SparkListener {
  private static final class Job {
    long start;
    long end;
    long firstLaunch = Long.MAX_VALUE;
    long lastFinish;
    long maxRun;
    long maxIo;
    long maxResultBytes;
  }

  private final Map<Integer, Job> jobs = new HashMap<>();
  private final Map<Integer, Integer> stageToJob = new HashMap<>();
  private final List<Job> finished = new ArrayList<>();

  @Override
  public synchronized void onJobStart(SparkListenerJobStart e) {
    Job j = new Job();
    j.start = e.time();
    jobs.put(e.jobId(), j);
    for (Object id : scala.jdk.javaapi.CollectionConverters.asJava(e.stageIds())) {
      stageToJob.put((Integer) id, e.jobId());
    }
  }

  @Override
  public synchronized void onTaskEnd(SparkListenerTaskEnd e) {
    Integer jobId = stageToJob.get(e.stageId());
    Job j = jobId == null ? null : jobs.get(jobId);
    TaskInfo info = e.taskInfo();
    TaskMetrics m = e.taskMetrics();
    if (j == null || m == null) {
      return;
    }
    j.firstLaunch = Math.min(j.firstLaunch, info.launchTime());
    j.lastFinish = Math.max(j.lastFinish, info.finishTime());
    j.maxRun = Math.max(j.maxRun, m.executorRunTime());
    j.maxIo = Math.max(j.maxIo, m.executorDeserializeTime() + m.resultSerializationTime());
    j.maxResultBytes = Math.max(j.maxResultBytes, m.resultSize());
  }

  @Override
  public synchronized void onJobEnd(SparkListenerJobEnd e) {
    Job j = jobs.remove(e.jobId());
    if (j != null) {
      j.end = e.time();
      finished.add(j);
    }
  }

  synchronized void clear() {
    finished.clear();
  }

  /** Mean milliseconds per job of each part, over the jobs finished since {@link #clear()}. */
  synchronized Map<String, Double> meanSplit() {
    double schedule = 0;
    double compute = 0;
    double io = 0;
    double collect = 0;
    double between = 0;
    double wall = 0;
    double resultBytes = 0;
    int n = finished.size();
    for (int i = 0; i < n; i++) {
      Job j = finished.get(i);
      schedule += Math.max(0, j.firstLaunch - j.start);
      compute += j.maxRun;
      io += j.maxIo;
      collect += Math.max(0, j.end - j.lastFinish);
      resultBytes += j.maxResultBytes;
      if (i + 1 < n) {
        between += finished.get(i + 1).start - j.end;
        wall += finished.get(i + 1).start - j.start;
      }
    }
    Map<String, Double> out = new java.util.LinkedHashMap<>();
    out.put("jobs", (double) n);
    out.put("stepMs", n > 1 ? wall / (n - 1) : Double.NaN);
    out.put("scheduleMs", schedule / n);
    out.put("computeMs", compute / n);
    out.put("taskIoMs", io / n);
    out.put("collectMs", collect / n);
    out.put("betweenMs", n > 1 ? between / (n - 1) : Double.NaN);
    out.put("resultBytes", resultBytes / n);
    return out;
  }
}
