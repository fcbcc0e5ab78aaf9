package io.sparkbackprop.model;

import static io.sparkbackprop.model.TestModels.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The behaviour every {@link ModelStore} shares; each implementation's test extends this. */
abstract class ModelStoreContract {

  @TempDir
  Path tmp;

  abstract ModelStore store();

  /** How this store names the local directory {@code p}. */
  abstract String name(Path p);

  static final Map<String, byte[]> OLD = Map.of("model.json", utf8("old"), "only-in-old.txt", utf8("x"));
  static final Map<String, byte[]> NEW = Map.of("model.json", utf8("new"), "weights.safetensors", new byte[] {1, 2, 3});

  /** File name to content of a local directory. */
  static Map<String, String> contents(Path dir) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        out.put(f.getFileName().toString(), Files.readString(f));
      }
    }
    return out;
  }

  static List<String> entries(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString()).sorted().toList();
    }
  }

  /** Yields one file, then fails, recording what the parent directory held at that moment. */
  static Map<String, byte[]> failingAfterOneFile(Path parent, List<String> seenAtFailure) {
    return new AbstractMap<>() {
      @Override
      public Set<Entry<String, byte[]>> entrySet() {
        return new AbstractSet<>() {
          @Override
          public int size() {
            return 2;
          }

          @Override
          public Iterator<Entry<String, byte[]>> iterator() {
            return new Iterator<>() {
              private int next;

              @Override
              public boolean hasNext() {
                return true;
              }

              @Override
              public Entry<String, byte[]> next() {
                if (next++ == 0) {
                  return Map.entry("model.json", utf8("half"));
                }
                try {
                  seenAtFailure.addAll(entries(parent));
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
                throw new IllegalStateException("injected failure after the first file");
              }
            };
          }
        };
      }
    };
  }

  @Test
  void writtenDirectoryHoldsExactlyTheFiles() throws Exception {
    Path dir = tmp.resolve("out/models/m");

    store().writeDirectory(name(dir), NEW, false);

    assertEquals(Map.of("model.json", "new", "weights.safetensors", "\1\2\3"), contents(dir));
    assertEquals(List.of("m"), entries(dir.getParent()), "no temporary directory left beside it");
    assertTrue(store().exists(name(dir)));
    assertArrayEquals(new byte[] {1, 2, 3}, store().read(name(dir), "weights.safetensors"));
  }

  @Test
  void aWriteRemovesTheTemporariesOfKilledWritersButKeepsAnOldCopy() throws Exception {
    Path dir = tmp.resolve("m");
    // What a writer killed mid-write (tmp) and one killed between its two renames (old) leave.
    Files.createDirectories(tmp.resolve(".m.tmp-dead0001"));
    Files.writeString(tmp.resolve(".m.tmp-dead0001/model.json"), "partial");
    Files.createDirectories(tmp.resolve(".m.old-dead0002"));
    Files.createDirectories(tmp.resolve(".other.tmp-dead0003"));

    store().writeDirectory(name(dir), NEW, false);

    assertEquals(List.of(".m.old-dead0002", ".other.tmp-dead0003", "m"), entries(tmp),
        "only this directory's temporaries are removed; an .old- copy may be the only previous model");
  }

  @Test
  void existingDirectoryIsRefusedWithoutOverwrite() throws Exception {
    Path dir = tmp.resolve("m");
    store().writeDirectory(name(dir), OLD, false);

    OutputExistsException e = assertThrows(OutputExistsException.class,
        () -> store().writeDirectory(name(dir), NEW, false));

    assertEquals("output directory " + name(dir) + " already exists; set output.overwrite = true to replace it",
        e.getMessage());
    assertEquals(Map.of("model.json", "old", "only-in-old.txt", "x"), contents(dir));
    assertEquals(List.of("m"), entries(tmp));
  }

  @Test
  void overwriteReplacesTheWholeDirectory() throws Exception {
    Path dir = tmp.resolve("m");
    store().writeDirectory(name(dir), OLD, false);

    store().writeDirectory(name(dir), NEW, true);

    assertEquals(Map.of("model.json", "new", "weights.safetensors", "\1\2\3"), contents(dir));
    assertEquals(List.of("m"), entries(tmp), "old directory deleted, no temporary left");
  }

  @Test
  void failureMidwayLeavesTheOldDirectoryAndNoTemporary() throws Exception {
    Path dir = tmp.resolve("m");
    store().writeDirectory(name(dir), OLD, false);
    List<String> seenAtFailure = new ArrayList<>();

    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> store().writeDirectory(name(dir), failingAfterOneFile(tmp, seenAtFailure), true));

    assertEquals("injected failure after the first file", e.getMessage());
    assertEquals(2, seenAtFailure.size(), "a temporary directory existed when the failure came: " + seenAtFailure);
    assertTrue(seenAtFailure.get(0).startsWith(".m.tmp-"), seenAtFailure.toString());
    assertEquals(Map.of("model.json", "old", "only-in-old.txt", "x"), contents(dir));
    assertEquals(List.of("m"), entries(tmp));
  }

  @Test
  void failureMidwayOfAFirstWriteLeavesNothing() throws Exception {
    Path dir = tmp.resolve("m");

    assertThrows(IllegalStateException.class,
        () -> store().writeDirectory(name(dir), failingAfterOneFile(tmp, new ArrayList<>()), false));

    assertEquals(List.of(), entries(tmp));
    assertFalse(store().exists(name(dir)));
  }

  @Test
  void fileNamesWithSeparatorsAreRefused() throws Exception {
    Path dir = tmp.resolve("m");

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> store().writeDirectory(name(dir), Map.of("../escape", new byte[1]), false));

    assertEquals("file names in a model directory must be plain names, was '../escape'", e.getMessage());
    assertEquals(List.of(), entries(tmp));
  }

  @Test
  void readingAMissingFileIsNoSuchFile() throws Exception {
    Path dir = tmp.resolve("m");
    store().writeDirectory(name(dir), NEW, false);

    assertThrows(NoSuchFileException.class, () -> store().read(name(dir), "absent.json"));
  }

  @Test
  void existsOnlyForDirectories() throws Exception {
    Files.writeString(tmp.resolve("plain"), "x");

    assertFalse(store().exists(name(tmp.resolve("missing"))));
    assertFalse(store().exists(name(tmp.resolve("plain"))));
    assertTrue(store().exists(name(tmp)));
  }

  @Test
  void modelRoundTripThroughTheStore() throws Exception {
    SavedModel model = TestModels.full();
    String dir = name(tmp.resolve("model"));

    ModelCodec.save(store(), dir, model, false);

    assertEquals(model, ModelCodec.decode(store(), dir));
    assertEquals(List.of("model.json", "weights.safetensors"), entries(tmp.resolve("model")));
  }
}
