package io.sparkbackprop.train;

import io.sparkbackprop.model.AbstractModelStore;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.StreamCapabilities;

/**
 * A {@link io.sparkbackprop.model.ModelStore} on any Hadoop filesystem ({@code file:}, {@code hdfs:},
 * {@code s3a:}, ...), chosen by each directory URI's scheme. Renames are {@link FileSystem#rename}:
 * atomic on HDFS and local disks, a file-by-file copy on S3, so there a reader can briefly see a
 * partial directory. Files are hsync'ed when the stream supports it (HDFS, local), else just closed.
 * The local filesystem's .crc side files are not written: model.json records a sha256 instead.
 */
public final class HadoopModelStore extends AbstractModelStore<Path> {
  private final Configuration conf;

  public HadoopModelStore(Configuration conf) {
    this.conf = conf;
  }

  private FileSystem fs(Path p) throws IOException {
    FileSystem fs = p.getFileSystem(conf);
    return fs instanceof ChecksumFileSystem c ? c.getRawFileSystem() : fs;
  }

  @Override
  public boolean exists(String dir) throws IOException {
    Path p = path(dir);
    try {
      return fs(p).getFileStatus(p).isDirectory();
    } catch (FileNotFoundException e) {
      return false;
    }
  }

  @Override
  public byte[] read(String dir, String fileName) throws IOException {
    Path p = new Path(path(dir), fileName);
    try (FSDataInputStream in = fs(p).open(p)) {
      return in.readAllBytes();
    } catch (FileNotFoundException e) {
      throw new NoSuchFileException(p.toString());
    }
  }

  @Override
  public long size(String dir, String fileName) throws IOException {
    Path p = new Path(path(dir), fileName);
    try {
      return fs(p).getFileStatus(p).getLen();
    } catch (FileNotFoundException e) {
      throw new NoSuchFileException(p.toString());
    }
  }

  @Override
  protected Path path(String dir) {
    return new Path(dir);
  }

  @Override
  protected Path parent(Path path) throws IOException {
    if (path.getParent() == null) {
      throw new IOException("cannot write a model directory at the filesystem root " + path);
    }
    return path.getParent();
  }

  @Override
  protected Path child(Path dir, String name) {
    return new Path(dir, name);
  }

  @Override
  protected String name(Path path) {
    return path.getName();
  }

  @Override
  protected boolean existsAny(Path path) throws IOException {
    return fs(path).exists(path);
  }

  @Override
  protected void makeDirectories(Path dir) throws IOException {
    if (!fs(dir).mkdirs(dir)) {
      throw new IOException("could not create directory " + dir);
    }
  }

  @Override
  protected void writeFile(Path file, byte[] content) throws IOException {
    try (FSDataOutputStream out = fs(file).create(file, false)) {
      out.write(content);
      if (out.hasCapability(StreamCapabilities.HSYNC)) {
        out.hsync();
      }
    }
    DirectoryWritePause.afterWriting(file.getName(), file.toString());   // test-only; nothing unless its property is set
  }

  @Override
  protected void syncDirectory(Path dir) {
    // Hadoop has no directory sync; HDFS persists namespace changes in its edit log.
  }

  @Override
  protected void rename(Path from, Path to) throws IOException {
    if (!fs(from).rename(from, to)) {
      throw new IOException("could not rename " + from + " to " + to);
    }
  }

  @Override
  protected void deleteRecursively(Path path) throws IOException {
    fs(path).delete(path, true);
  }

  @Override
  protected java.util.List<String> childDirectories(Path dir) throws IOException {
    java.util.List<String> names = new java.util.ArrayList<>();
    try {
      for (org.apache.hadoop.fs.FileStatus st : fs(dir).listStatus(dir)) {
        if (st.isDirectory()) {
          names.add(st.getPath().getName());
        }
      }
    } catch (FileNotFoundException e) {
      return names;
    }
    return names;
  }

  @Override
  protected java.util.List<String> children(Path dir) throws IOException {
    java.util.List<String> names = new java.util.ArrayList<>();
    try {
      if (!fs(dir).getFileStatus(dir).isDirectory()) {
        return names;
      }
      for (org.apache.hadoop.fs.FileStatus st : fs(dir).listStatus(dir)) {
        names.add(st.getPath().getName());
      }
    } catch (FileNotFoundException e) {
      return names;
    }
    return names;
  }
}
