package io.sparkbackprop.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkbackprop.model.LocalModelStore;
import io.sparkbackprop.model.ModelCodec;
import io.sparkbackprop.model.ModelFormatException;
import io.sparkbackprop.optim.Optimizer;
import io.sparkbackprop.optim.OptimizerSpec;
import io.sparkbackprop.optim.OptimizerState;
import io.sparkbackprop.optim.OptimizerType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint that was truncated, bit-flipped, written by another version or edited by hand is
 * refused before a resume uses it, with one line naming the file and the older checkpoint, if any.
 */
class CheckpointIntegrityTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int PARAMS = 10;

  @TempDir
  Path tmp;

  private final LocalModelStore store = new LocalModelStore();
  private Path root;
  private Path newest;
  private Path older;
  private TrainerState saved;

  /** The state after {@code epochs} epochs of 3 steps each. */
  private static TrainerState state(int epochs) {
    double[] params = new double[PARAMS];
    for (int i = 0; i < PARAMS; i++) {
      params[i] = 0.1 * i - 0.37 + epochs;
    }
    OptimizerState adam = Optimizer.create(OptimizerSpec.defaults(OptimizerType.ADAM)).init(PARAMS);
    Arrays.fill(adam.buffer("expAvg"), 0.25 * epochs);
    List<EpochStats> history = new ArrayList<>();
    for (int e = 1; e <= epochs; e++) {
      history.add(new EpochStats(e, 5, 3L * e, 0.5 * e, 1.0 / e, 1000, null));
    }
    return new TrainerState(epochs, 3L * epochs, params, adam, history, null);
  }

  @BeforeEach
  void saveTwoCheckpoints() {
    root = tmp.resolve("ckpt");
    RunFingerprint fingerprint = new RunFingerprint(Map.of("training.seed", "7"), 4, List.of(10L, 12L));
    Checkpoints checkpoints = new Checkpoints(store, root.toString(), 2, fingerprint);
    checkpoints.save(state(2));
    saved = state(3);
    checkpoints.save(saved);
    newest = root.resolve("epoch-000003");
    older = root.resolve("epoch-000002");
  }

  private String refused() {
    return assertThrows(ModelFormatException.class, () -> Checkpoints.latest(store, root.toString())).getMessage();
  }

  private String olderHint() {
    return "; an older checkpoint exists: move " + newest + " aside and --resume again to continue from " + older;
  }

  private void editJson(java.util.function.Consumer<ObjectNode> edit) throws Exception {
    Path file = newest.resolve("checkpoint.json");
    ObjectNode json = (ObjectNode) JSON.readTree(file.toFile());
    edit.accept(json);
    Files.write(file, JSON.writeValueAsBytes(json));
  }

  @Test
  void anIntactCheckpointReadsBackExactlyAndRecordsTheSha256OfItsFiles() throws Exception {
    Checkpoints.Loaded loaded = Checkpoints.latest(store, root.toString());

    assertArrayEquals(saved.params(), loaded.state().params(), 0.0);
    assertEquals(saved.optimizerState(), loaded.state().optimizerState());
    assertEquals(saved.history(), loaded.state().history());
    assertEquals(older.toString(), loaded.older());
    var files = JSON.readTree(newest.resolve("checkpoint.json").toFile()).get("files");
    byte[] params = Files.readAllBytes(newest.resolve("params.safetensors"));
    assertEquals(ModelCodec.sha256(params), files.get("params.safetensors").get("sha256").asText());
    assertEquals(params.length, files.get("params.safetensors").get("bytes").asLong());
    assertEquals(ModelCodec.sha256(Files.readAllBytes(newest.resolve("optimizer.bin"))),
        files.get("optimizer.bin").get("sha256").asText());
  }

  @Test
  void aFlippedBitIsRefusedNamingTheFileAndTheOlderCheckpoint() throws Exception {
    Path params = newest.resolve("params.safetensors");
    byte[] bytes = Files.readAllBytes(params);
    String recorded = ModelCodec.sha256(bytes);
    bytes[bytes.length - 2] ^= 0x04;
    Files.write(params, bytes);

    assertEquals(params + ": integrity check failed: sha256 is " + ModelCodec.sha256(bytes)
        + ", checkpoint.json says " + recorded + olderHint(), refused());
  }

  @Test
  void aTruncatedFileIsRefusedByItsSizeBeforeItIsRead() throws Exception {
    Path optimizer = newest.resolve("optimizer.bin");
    long size = Files.size(optimizer);
    Files.write(optimizer, Arrays.copyOf(Files.readAllBytes(optimizer), 100));

    assertEquals(optimizer + ": integrity check failed: file has 100 bytes, checkpoint.json says " + size
        + olderHint(), refused());
  }

  @Test
  void aCheckpointWithoutRecordedChecksumsStillGetsTheStructuralChecks() throws Exception {
    editJson(json -> json.remove("files"));   // as a build before the sha256 was recorded wrote it
    assertArrayEquals(saved.params(), Checkpoints.latest(store, root.toString()).state().params(), 0.0);

    Path optimizer = newest.resolve("optimizer.bin");
    Files.write(optimizer, Arrays.copyOf(Files.readAllBytes(optimizer), 100));
    assertTrue(refused().startsWith(optimizer + ": truncated optimizer state: buffer 'expAvg' has length 10,"
        + " but only "), refused());
  }

  @Test
  void anotherFormatVersionIsReportedWithTheOlderCheckpoint() throws Exception {
    editJson(json -> json.put("formatVersion", 2));

    Checkpoints.Loaded loaded = Checkpoints.latest(store, root.toString());

    assertEquals(2, loaded.formatVersion());
    assertEquals(olderHint().substring(2), loaded.olderHint());
  }

  @Test
  void handEditedFieldsThatDisagreeAreRefused() throws Exception {
    editJson(json -> json.put("epochsDone", 5));
    assertEquals(newest.resolve("checkpoint.json") + ": epochsDone is 5, but the directory is epoch-000003"
        + olderHint(), refused());

    editJson(json -> json.put("epochsDone", 3).put("globalStep", 4));
    assertEquals(newest.resolve("checkpoint.json") + ": globalStep is 4, the history's last epoch ended at step 9"
        + olderHint(), refused());

    editJson(json -> json.put("globalStep", 9).withArray("history").remove(2));
    assertEquals(newest.resolve("checkpoint.json") + ": history has 2 epochs, epochsDone is 3" + olderHint(),
        refused());

    editJson(json -> json.put("epochsDone", "three"));
    assertEquals(newest.resolve("checkpoint.json") + ": epochsDone: must be an integer >= 0, was \"three\""
        + olderHint(), refused());

    editJson(json -> json.remove("fingerprint"));
    assertTrue(refused().contains("checkpoint.json: "), refused());
  }

  @Test
  void weightsOfTheWrongLengthForTheOptimizerStateAreRefused() throws Exception {
    Path other = tmp.resolve("other");
    new Checkpoints(store, other.toString(), 1, new RunFingerprint(Map.of(), 4, List.of(1L)))
        .save(new TrainerState(0, 0, new double[PARAMS + 1], state(0).optimizerState(), List.of(), null));
    Files.copy(other.resolve("epoch-000000").resolve("params.safetensors"), newest.resolve("params.safetensors"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    editJson(json -> json.remove("files"));

    assertEquals(newest.resolve("optimizer.bin") + ": buffer 'expAvg' has 10 values, params.safetensors has 11"
        + " parameters" + olderHint(), refused());
  }

  @Test
  void aCheckpointJsonThatIsNotJsonIsRefusedAndWithoutAnOlderOneSaysSo() throws Exception {
    store.delete(older.toString());
    Files.writeString(newest.resolve("checkpoint.json"), "{\"formatVersion\": 1, \"epochsDo");

    assertTrue(refused().startsWith(newest.resolve("checkpoint.json") + ": not valid JSON: "), refused());
    assertTrue(refused().endsWith("; there is no older checkpoint"), refused());
  }

  @Test
  void deleteAllRemovesOnlyTheCheckpoints() throws Exception {
    Files.createDirectories(root.resolve(".epoch-000004.tmp-1a2b3c4d"));
    Files.writeString(root.resolve("notes.txt"), "a user's file");
    Files.createDirectories(root.resolve("epoch-7"));

    Checkpoints.deleteAll(store, root.toString());

    assertEquals(List.of("epoch-7", "notes.txt"), store.list(root.toString()));
    Files.delete(root.resolve("notes.txt"));
    Files.delete(root.resolve("epoch-7"));
    new Checkpoints(store, root.toString(), 1, new RunFingerprint(Map.of(), 4, List.of(1L))).save(state(1));
    Checkpoints.deleteAll(store, root.toString());
    assertFalse(Files.exists(root), "an emptied checkpoint directory is removed");
  }
}
