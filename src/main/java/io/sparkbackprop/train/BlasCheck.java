package io.sparkbackprop.train;

import io.sparkbackprop.nn.FeedForward;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says which BLAS the math runs on, and what to do when it is not the fast one: native OpenBLAS
 * (dev.ludovic.netlib's {@code JNIBLAS}) runs dgemm about 3x and sgemm about 4x faster than the
 * Java fallback on the machines measured in docs/benchmarks.md. Also warns when several tasks
 * share this JVM while OpenBLAS may start its own threads in each.
 */
public final class BlasCheck {
  private static final Logger LOG = LoggerFactory.getLogger(BlasCheck.class);
  private static volatile boolean logged;

  private BlasCheck() {
  }

  /** True when the native BLAS is in use. */
  public static boolean isNative() {
    return FeedForward.blasImplementation().endsWith("JNIBLAS");
  }

  /** The hint for a missing native BLAS, or null when it is in use. */
  public static String hint() {
    if (isNative()) {
      return null;
    }
    return "BLAS is " + FeedForward.blasImplementation() + ", not native OpenBLAS: training math "
        + "runs several times slower. Install the system's OpenBLAS (Debian/Ubuntu: apt-get install "
        + "libopenblas0; RHEL: openblas) on the driver and every executor, or see "
        + "https://spark.apache.org/docs/latest/ml-linalg-guide.html";
  }

  /** Logs the BLAS in use once per JVM, with the hints that apply. */
  public static void logOnce(String master) {
    if (logged) {
      return;
    }
    logged = true;
    String hint = hint();
    if (hint != null) {
      LOG.warn(hint);
    } else {
      LOG.info("BLAS: native OpenBLAS ({})", FeedForward.blasImplementation());
      boolean local = master != null && master.startsWith("local");
      String threads = System.getenv("OPENBLAS_NUM_THREADS");
      if (local && !"1".equals(threads)) {
        LOG.warn("OPENBLAS_NUM_THREADS is {} while tasks share this JVM ({}): set "
            + "OPENBLAS_NUM_THREADS=1 before starting the JVM (jobs/*.sh do), or BLAS threads "
            + "oversubscribe the cores", threads == null ? "unset" : threads, master);
      }
    }
  }
}
