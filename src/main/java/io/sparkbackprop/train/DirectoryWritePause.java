package io.sparkbackprop.train;

import io.sparkbackprop.model.ModelCodec;

/**
 * Test-only fault injection: a pause in the middle of writing a checkpoint or the final model
 * directory, so that a test can kill the driver while the hidden aside directory is partly
 * written. Off unless one of these JVM system properties is set to a positive number of
 * milliseconds (read once; unset, a call is a comparison of two strings):
 *
 * <ul>
 *   <li>{@value #CHECKPOINT_PROPERTY}: after a checkpoint's {@code params.safetensors}, before its
 *       {@code optimizer.bin};
 *   <li>{@value #MODEL_PROPERTY}: after a model directory's {@code weights.safetensors}, before
 *       {@code history.jsonl} and the other run files.
 * </ul>
 */
public final class DirectoryWritePause {
  public static final String CHECKPOINT_PROPERTY = "sparkbackprop.faultInjection.checkpointWritePauseMs";
  public static final String MODEL_PROPERTY = "sparkbackprop.faultInjection.modelWritePauseMs";
  private static final long CHECKPOINT_MILLIS = Long.getLong(CHECKPOINT_PROPERTY, 0);
  private static final long MODEL_MILLIS = Long.getLong(MODEL_PROPERTY, 0);

  private DirectoryWritePause() {
  }

  /**
   * Called by the store after each file of a directory write; pauses after the files named above,
   * saying so on stderr first ({@code fault injection: pausing <ms> ms after writing <path>}).
   */
  static void afterWriting(String fileName, String path) {
    long millis = Checkpoints.PARAMS.equals(fileName) ? CHECKPOINT_MILLIS
        : ModelCodec.WEIGHTS_FILE.equals(fileName) ? MODEL_MILLIS : 0;
    if (millis <= 0) {
      return;
    }
    System.err.println("fault injection: pausing " + millis + " ms after writing " + path);
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
