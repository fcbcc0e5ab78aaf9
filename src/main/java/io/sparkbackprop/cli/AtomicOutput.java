package io.sparkbackprop.cli;

import java.io.IOException;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * An output (a file, or a directory Spark writes) that appears complete or not at all: it is
 * written into a hidden sibling {@code .<name>.tmp-<random>}, which {@link #commit} renames to
 * the target. Spark and Hadoop readers skip names starting with a dot, so a half-written output is
 * never read as data. Replacing (with overwrite) renames the old output aside first and deletes it
 * after; if the second rename fails the old output is moved back. As atomic as the filesystem's
 * rename: on HDFS and local disks yes, on object stores a copy. The same algorithm as the model
 * directory's ({@link io.sparkbackprop.model.AbstractModelStore}), for outputs Spark writes itself.
 */
final class AtomicOutput implements AutoCloseable {
  private final FileSystem fs;
  private final Path target;
  private final Path temp;
  private final String option;
  /** The path as the user gave it, for messages. */
  private final String shown;
  private final boolean overwrite;
  private boolean committed;

  private AtomicOutput(FileSystem fs, Path target, String option, String shown, boolean overwrite)
      throws IOException {
    this.fs = fs;
    this.target = target;
    this.option = option;
    this.shown = shown;
    this.overwrite = overwrite;
    Path parent = target.getParent();
    if (parent == null) {
      throw new IOException("cannot write " + option + " at the filesystem root " + target);
    }
    this.temp = new Path(parent, "." + target.getName() + ".tmp-" + UUID.randomUUID().toString().substring(0, 8));
  }

  /**
   * Checks that {@code path} may be written, before any work is done.
   *
   * @param option how to name the output in errors, e.g. {@code --output}
   * @throws JobFailure with exit code 73 when the path exists and {@code overwrite} is false
   */
  static AtomicOutput prepare(Configuration conf, String path, String option, boolean overwrite)
      throws IOException {
    Path p = new Path(path);
    FileSystem fs = p.getFileSystem(conf);
    AtomicOutput out = new AtomicOutput(fs, fs.makeQualified(p), option, path, overwrite);
    out.refuseExisting();
    return out;
  }

  /** Where to write; it does not exist yet. */
  Path temp() {
    return temp;
  }

  /** Moves the written output into place. */
  void commit() throws IOException {
    refuseExisting();
    Path old = null;
    if (fs.exists(target)) {
      old = new Path(temp.getParent(), "." + target.getName() + ".old-" + temp.getName().replaceAll(".*-", ""));
      rename(target, old);
    }
    try {
      rename(temp, target);
    } catch (IOException e) {
      if (old != null && !fs.rename(old, target)) {
        e.addSuppressed(new IOException("the previous " + option + " could not be moved back; it is at " + old));
      }
      throw e;
    }
    committed = true;
    if (old != null) {
      fs.delete(old, true);
    }
  }

  /** Deletes the temporary output unless it was committed. */
  @Override
  public void close() {
    if (!committed) {
      try {
        fs.delete(temp, true);
      } catch (IOException ignored) {
        // Best effort: the job's own failure is what the user must see.
      }
    }
  }

  private void refuseExisting() throws IOException {
    if (!overwrite && fs.exists(target)) {
      throw new JobFailure(ExitCodes.CANNOT_WRITE, option + " " + shown + " already exists; pass --overwrite to"
          + " replace it");
    }
    if (overwrite && fs.exists(target) && fs.getFileStatus(target).isDirectory() && !isEarlierOutput()) {
      throw new JobFailure(ExitCodes.CANNOT_WRITE, option + " " + shown + " is a directory that is not an"
          + " earlier output (it is not empty and has no _SUCCESS); --overwrite replaces only those, so remove it"
          + " yourself or choose another path");
    }
  }

  /** An empty directory, or what a Spark write left: a directory with {@code _SUCCESS} in it. */
  private boolean isEarlierOutput() throws IOException {
    return fs.listStatus(target).length == 0 || fs.exists(new Path(target, "_SUCCESS"));
  }

  private void rename(Path from, Path to) throws IOException {
    if (!fs.rename(from, to)) {
      throw new IOException("could not rename " + from + " to " + to);
    }
  }
}
