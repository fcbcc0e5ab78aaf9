package io.sparkbackprop.model;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A {@link ModelStore} on the local filesystem through java.nio. Directories are local paths or
 * {@code file:} URIs. Files and directories are fsynced before the rename that publishes them, and
 * renames use {@link StandardCopyOption#ATOMIC_MOVE} where the filesystem supports it.
 */
public class LocalModelStore extends AbstractModelStore<Path> {

  @Override
  public boolean exists(String dir) {
    return Files.isDirectory(path(dir));
  }

  @Override
  public byte[] read(String dir, String fileName) throws IOException {
    return Files.readAllBytes(path(dir).resolve(fileName));
  }

  @Override
  public long size(String dir, String fileName) throws IOException {
    return Files.size(path(dir).resolve(fileName));
  }

  @Override
  protected Path path(String dir) {
    return (dir.startsWith("file:") ? Path.of(URI.create(dir)) : Path.of(dir)).toAbsolutePath().normalize();
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
    return dir.resolve(name);
  }

  @Override
  protected String name(Path path) {
    return path.getFileName().toString();
  }

  @Override
  protected boolean existsAny(Path path) {
    return Files.exists(path);
  }

  @Override
  protected void makeDirectories(Path dir) throws IOException {
    Files.createDirectories(dir);
  }

  @Override
  protected void writeFile(Path file, byte[] content) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.wrap(content);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
  }

  @Override
  protected void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Some platforms cannot open or sync a directory; the file contents were synced already.
    }
  }

  @Override
  protected void rename(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to);
    }
  }

  @Override
  protected void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    List<Path> all;
    try (Stream<Path> walk = Files.walk(path)) {
      all = walk.sorted(Comparator.reverseOrder()).toList();
    }
    for (Path p : all) {
      try {
        Files.delete(p);
      } catch (NoSuchFileException ignored) {
        // Already gone.
      }
    }
  }

  @Override
  protected List<String> childDirectories(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> list = Files.list(dir)) {
      return list.filter(Files::isDirectory).map(p -> p.getFileName().toString()).toList();
    }
  }

  @Override
  protected List<String> children(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> list = Files.list(dir)) {
      return list.map(p -> p.getFileName().toString()).toList();
    }
  }
}
