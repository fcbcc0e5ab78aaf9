package io.sparkbackprop.model;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The write-aside-then-rename algorithm of {@link ModelStore#writeDirectory}, written once over a
 * filesystem's primitive operations on its path type {@code P}.
 */
public abstract class AbstractModelStore<P> implements ModelStore {

  /** The path {@code dir} names. */
  protected abstract P path(String dir);

  /** The directory that contains {@code path}. */
  protected abstract P parent(P path) throws IOException;

  protected abstract P child(P dir, String name);

  /** The last component of {@code path}. */
  protected abstract String name(P path);

  /** True when anything (file or directory) is at {@code path}. */
  protected abstract boolean existsAny(P path) throws IOException;

  /** Creates {@code dir} and any missing parents. */
  protected abstract void makeDirectories(P dir) throws IOException;

  /** Writes a new file and makes its content durable where the filesystem allows. */
  protected abstract void writeFile(P file, byte[] content) throws IOException;

  /** Makes the entries of {@code dir} durable where the filesystem allows; a no-op elsewhere. */
  protected abstract void syncDirectory(P dir) throws IOException;

  /** Renames {@code from} to {@code to}, which does not exist; atomic where the filesystem allows. */
  protected abstract void rename(P from, P to) throws IOException;

  /** Deletes {@code path} and everything under it, if it exists. */
  protected abstract void deleteRecursively(P path) throws IOException;

  /** Names of the directories directly inside {@code dir}; empty when it does not exist. */
  protected abstract List<String> childDirectories(P dir) throws IOException;

  /** Names of all entries directly inside {@code dir}; empty when it does not exist. */
  protected abstract List<String> children(P dir) throws IOException;

  @Override
  public final List<String> list(String dir) throws IOException {
    List<String> names = new ArrayList<>(children(path(dir)));
    Collections.sort(names);
    return names;
  }

  @Override
  public final List<String> listDirectories(String dir) throws IOException {
    List<String> names = new ArrayList<>();
    for (String n : childDirectories(path(dir))) {
      if (!n.startsWith(".")) {
        names.add(n);
      }
    }
    Collections.sort(names);
    return names;
  }

  @Override
  public final void writeFile(String dir, String name, byte[] content) throws IOException {
    P d = path(dir);
    makeDirectories(d);
    P tmp = child(d, "." + name + ".tmp-" + UUID.randomUUID());
    P target = child(d, name);
    try {
      writeFile(tmp, content);
      if (existsAny(target)) {
        deleteRecursively(target);
      }
      rename(tmp, target);
    } catch (IOException | RuntimeException e) {
      deleteRecursively(tmp);
      throw e;
    }
  }

  @Override
  public final boolean fileExists(String dir, String name) throws IOException {
    return existsAny(child(path(dir), name));
  }

  @Override
  public final String resolve(String dir, String name) {
    return child(path(dir), name).toString();
  }

  @Override
  public final void delete(String dir) throws IOException {
    P p = path(dir);
    if (existsAny(p)) {
      deleteRecursively(p);
    }
  }

  @Override
  public final void writeDirectory(String dir, Map<String, byte[]> files, boolean overwrite) throws IOException {
    P target = path(dir);
    if (!overwrite && existsAny(target)) {
      throw new OutputExistsException(dir);
    }
    P parent = parent(target);
    makeDirectories(parent);
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    P temp = child(parent, "." + name(target) + ".tmp-" + suffix);
    P old = null;
    boolean installed = false;
    try {
      makeDirectories(temp);
      for (Map.Entry<String, byte[]> f : files.entrySet()) {
        writeFile(child(temp, checkFileName(f.getKey())), f.getValue());
      }
      syncDirectory(temp);
      if (existsAny(target)) {
        if (!overwrite) {
          throw new OutputExistsException(dir);
        }
        old = child(parent, "." + name(target) + ".old-" + suffix);
        rename(target, old);
      }
      try {
        rename(temp, target);
      } catch (IOException | RuntimeException e) {
        if (old != null) {
          restore(old, target, e);
        }
        throw e;
      }
      installed = true;
      syncDirectory(parent);
    } finally {
      if (!installed) {
        deleteQuietly(temp);
      }
    }
    if (old != null) {
      // The new directory is in place; a failure here leaves only a hidden .old- sibling behind.
      deleteQuietly(old);
    }
    deleteStaleTemporaries(parent, name(target));
  }

  /**
   * Removes {@code .<name>.tmp-*} siblings that a killed writer of the same directory left behind
   * (they were never renamed into place, so nothing refers to them). A {@code .old-} sibling is
   * kept: after a kill between the two renames it holds the only copy of the previous directory.
   */
  private void deleteStaleTemporaries(P parent, String name) {
    try {
      for (String child : childDirectories(parent)) {
        if (child.startsWith("." + name + ".tmp-")) {
          deleteQuietly(child(parent, child));
        }
      }
    } catch (IOException | RuntimeException ignored) {
      // Best effort: the new directory is in place either way.
    }
  }

  private void restore(P old, P target, Exception failure) throws IOException {
    try {
      rename(old, target);
    } catch (IOException | RuntimeException restoreFailure) {
      IOException e = new IOException("replacing " + target + " failed (" + failure.getMessage()
          + ") and the previous directory could not be moved back; it is at " + old, failure);
      e.addSuppressed(restoreFailure);
      throw e;
    }
  }

  private void deleteQuietly(P path) {
    try {
      deleteRecursively(path);
    } catch (IOException | RuntimeException ignored) {
      // Best effort: the caller's own exception, or its success, is what matters.
    }
  }

  private static String checkFileName(String name) {
    if (name == null || name.isEmpty() || name.equals(".") || name.equals("..") || name.contains("/")
        || name.contains("\\")) {
      throw new IllegalArgumentException("file names in a model directory must be plain names, was '" + name + "'");
    }
    return name;
  }
}
