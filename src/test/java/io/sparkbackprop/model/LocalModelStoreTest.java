package io.sparkbackprop.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalModelStoreTest extends ModelStoreContract {

  @Override
  ModelStore store() {
    return new LocalModelStore();
  }

  @Override
  String name(Path p) {
    return p.toString();
  }

  @Test
  void acceptsFileUris() throws Exception {
    Path dir = tmp.resolve("m");

    new LocalModelStore().writeDirectory(dir.toUri().toString(), NEW, false);

    assertEquals(Map.of("model.json", "new", "weights.safetensors", "\1\2\3"), contents(dir));
  }

  @Test
  void failedRenameIntoPlaceRestoresTheOldDirectory() throws Exception {
    Path dir = tmp.resolve("m");
    new LocalModelStore().writeDirectory(dir.toString(), OLD, false);
    LocalModelStore failing = new LocalModelStore() {
      @Override
      protected void rename(Path from, Path to) throws IOException {
        if (to.equals(dir) && from.getFileName().toString().startsWith(".m.tmp-")) {
          throw new IOException("injected rename failure");
        }
        super.rename(from, to);
      }
    };

    IOException e = assertThrows(IOException.class, () -> failing.writeDirectory(dir.toString(), NEW, true));

    assertEquals("injected rename failure", e.getMessage());
    assertEquals(Map.of("model.json", "old", "only-in-old.txt", "x"), contents(dir));
    assertEquals(List.of("m"), entries(tmp), "old directory moved back, temporary deleted");
  }
}
