package io.sparkbackprop.model;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The few filesystem operations a model directory needs, so this package reads and writes models
 * on a local disk ({@link LocalModelStore}) or any Hadoop filesystem
 * ({@code io.sparkbackprop.train.HadoopModelStore}) without depending on either. Directories are
 * named by strings in the implementation's own syntax (a local path, or a Hadoop URI).
 */
public interface ModelStore {

  /** True when {@code dir} exists and is a directory. */
  boolean exists(String dir) throws IOException;

  /**
   * The whole content of {@code dir/fileName}.
   *
   * @throws java.nio.file.NoSuchFileException when the file does not exist
   */
  byte[] read(String dir, String fileName) throws IOException;

  /**
   * The size in bytes of {@code dir/fileName}, so a reader can refuse a file too large for what it
   * should hold before it allocates memory for it.
   *
   * @throws java.nio.file.NoSuchFileException when the file does not exist
   */
  long size(String dir, String fileName) throws IOException;

  /**
   * Names of everything (files and directories, hidden ones too) directly inside {@code dir},
   * sorted; empty when {@code dir} does not exist. Lets a caller check what a directory holds
   * before it replaces or deletes it.
   */
  List<String> list(String dir) throws IOException;

  /**
   * Creates directory {@code dir} holding exactly {@code files} (file name to content), so that a
   * reader sees it complete or not at all: the files are written into a temporary sibling,
   * {@code .<name>.tmp-<random>}, which is then renamed to {@code dir}. Missing parent directories
   * are created.
   *
   * <p>When {@code dir} exists: without {@code overwrite} this throws {@link OutputExistsException}
   * before writing anything; with it, the old directory is renamed aside
   * ({@code .<name>.old-<random>}), the new one renamed in, and the old one deleted. Between those
   * two renames nothing is at {@code dir}: a reader in that instant finds no model, never a mix
   * of two. If the second rename fails the old directory is renamed back.
   *
   * <p>On any failure the temporary directory is deleted and the exception propagates. The
   * guarantee is as strong as the filesystem's rename: atomic on local POSIX filesystems and
   * HDFS, a copy file by file on object stores such as S3, where a reader can see a partly
   * copied directory. Two writers of the same {@code dir} at once are not coordinated.
   *
   * @param files file names (no path separators) to contents
   * @throws OutputExistsException when {@code dir} exists and {@code overwrite} is false
   */
  void writeDirectory(String dir, Map<String, byte[]> files, boolean overwrite) throws IOException;

  /**
   * Names of the subdirectories of {@code dir}, sorted, leaving out hidden ones (the temporary
   * directories of {@link #writeDirectory}); empty when {@code dir} does not exist.
   */
  List<String> listDirectories(String dir) throws IOException;

  /** The path of {@code name} inside {@code dir}, in this store's syntax. */
  String resolve(String dir, String name);

  /**
   * Writes one small file (a pointer or status file) in {@code dir}, creating {@code dir} if
   * needed: written to a hidden temporary file, then renamed over any old one. Where the
   * filesystem cannot rename over a file (HDFS), the old file is deleted first, so a reader may
   * briefly find none — never a partial one.
   */
  void writeFile(String dir, String name, byte[] content) throws IOException;

  /** True when the file {@code dir/name} exists. */
  boolean fileExists(String dir, String name) throws IOException;

  /** Deletes {@code dir} and everything in it; nothing happens when it does not exist. */
  void delete(String dir) throws IOException;
}
