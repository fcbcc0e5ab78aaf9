package io.sparkbackprop.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model directory on disk that was truncated, bit-flipped or edited by hand is refused with one
 * line that names the file, before anything is allocated for it, never loaded with wrong weights.
 */
class CorruptModelDirectoryTest {
  @TempDir
  Path tmp;

  private final LocalModelStore store = new LocalModelStore();
  private Path model;
  private Path weights;
  private Path json;

  @BeforeEach
  void writeAModel() throws Exception {
    model = tmp.resolve("m");
    ModelCodec.save(store, model.toString(), TestModels.full(), false);
    weights = model.resolve("weights.safetensors");
    json = model.resolve("model.json");
  }

  private ModelFormatException refused() {
    return assertThrows(ModelFormatException.class, () -> ModelCodec.decode(store, model.toString()));
  }

  /** model.json as a trainer wrote it, but without the weights' sha256 (as a hand-written one). */
  private void dropSha256() throws Exception {
    String text = Files.readString(json);
    String without = text.replaceAll("\"sha256\": \"[0-9a-f]{64}\",", "");
    assertFalse(without.equals(text), "the test must remove the sha256");
    Files.writeString(json, without);
  }

  private void edit(String from, String to) throws Exception {
    String text = Files.readString(json);
    assertTrue(text.contains(from), text);
    Files.writeString(json, text.replace(from, to));
  }

  @Test
  void aFlippedBitIsASha256MismatchNamingTheFile() throws Exception {
    byte[] bytes = Files.readAllBytes(weights);
    String recorded = ModelCodec.sha256(bytes);
    bytes[bytes.length - 5] ^= 0x01;   // one bit of the last bias: still a well-formed file
    Files.write(weights, bytes);

    assertEquals(weights + ": integrity check failed: sha256 is " + ModelCodec.sha256(bytes)
        + ", model.json says " + recorded, refused().getMessage());
  }

  @Test
  void aTruncatedFileIsASha256MismatchAndWithoutOneAStructuralError() throws Exception {
    byte[] bytes = Files.readAllBytes(weights);
    Files.write(weights, Arrays.copyOf(bytes, bytes.length - 8));
    assertTrue(refused().getMessage().startsWith(weights + ": integrity check failed: sha256 is "));

    dropSha256();
    assertEquals(weights + ": tensor layers.1.bias: data_offsets [192, 208] run past the end of the 200-byte"
        + " data section", refused().getMessage());
  }

  @Test
  void withoutASha256AFlippedBitInTheHeaderIsAStructuralError() throws Exception {
    dropSha256();
    byte[] bytes = Files.readAllBytes(weights);
    int at = new String(bytes, StandardCharsets.ISO_8859_1).indexOf("[4,3]");
    bytes[at + 1] ^= 0x01;   // '4' (0x34) becomes '5' (0x35): shape [5,3]
    Files.write(weights, bytes);

    assertEquals(weights + ": tensor layers.0.weight: data_offsets [0, 96] span 96 bytes, but shape [5, 3] of F64"
        + " needs 120", refused().getMessage());
  }

  @Test
  void aHeaderLengthBeyondTheFileIsRefusedBeforeTheHeaderIsCopied() throws Exception {
    dropSha256();
    byte[] bytes = Files.readAllBytes(weights);
    bytes[6] = 0x01;   // the 8-byte little-endian header length becomes 2^48 + what it was
    Files.write(weights, bytes);
    long claimed = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);

    assertEquals(weights + ": header length " + claimed + " exceeds file size " + bytes.length,
        refused().getMessage());
  }

  @Test
  void anUnknownDtypeIsRefusedNamingTheTensor() throws Exception {
    dropSha256();
    byte[] bytes = Files.readAllBytes(weights);
    String text = new String(bytes, StandardCharsets.ISO_8859_1).replaceFirst("\"F64\"", "\"I64\"");
    Files.write(weights, text.getBytes(StandardCharsets.ISO_8859_1));

    assertEquals(weights + ": tensor layers.0.weight: unsupported dtype 'I64', expected one of [F64, F32]",
        refused().getMessage());
  }

  @Test
  void aWrongFormatOrANewerFormatVersionIsRefused() throws Exception {
    edit("\"format\": \"spark-backprop-mlp\"", "\"format\": \"keras-h5\"");
    assertEquals(json + ": format: expected 'spark-backprop-mlp', was 'keras-h5'", refused().getMessage());

    edit("\"format\": \"keras-h5\"", "\"format\": \"spark-backprop-mlp\"");
    edit("\"formatVersion\": 1", "\"formatVersion\": 7");
    assertEquals(json + ": formatVersion: 7 is newer than this build reads (1); load it with a newer"
        + " spark-backprop", refused().getMessage());
  }

  @Test
  void handEditedShapesThatDisagreeWithTheTensorsAreRefused() throws Exception {
    // The weights still match their sha256; model.json now says 5 hidden units instead of 4.
    edit("\"units\": 4", "\"units\": 5");

    assertEquals(weights + ": tensor layers.0.weight has shape [4, 3], expected [5, 3]", refused().getMessage());
  }

  @Test
  void aModelJsonThatIsNotJsonIsRefusedWithItsPosition() throws Exception {
    Files.writeString(json, "format = spark-backprop-mlp\n");

    assertEquals(json + ": invalid JSON at line 1, column 1: Unrecognized token 'format': was expecting (JSON"
        + " String, Number, Array, Object or token 'null', 'true' or 'false')", refused().getMessage());
  }

  @Test
  void layersNeedingMoreParametersThanTheWeightsFileHoldsAreRefusedBeforeAllocating() throws Exception {
    // 30000 x 20000 = 6e8 parameters: 4.8 GB as doubles, more than the test JVM's heap. Only the
    // size check keeps this from an OutOfMemoryError.
    edit("\"inputSize\": 3", "\"inputSize\": 30000");
    edit("\"units\": 4", "\"units\": 20000");

    assertEquals(weights + ": integrity check failed: file has " + Files.size(weights) + " bytes, fewer than the"
        + " 2400240016 that the 600060002 parameters of the layers in model.json need (truncated, or model.json"
        + " edited?)", refused().getMessage());
  }

  @Test
  void moreParametersThanJavaArraysHoldIsAOneLineErrorNotAnInternalOne() throws Exception {
    dropSha256();
    edit("\"inputSize\": 3", "\"inputSize\": 2000000000");
    edit("\"units\": 4", "\"units\": 2000000000");

    assertTrue(refused().getMessage().startsWith(weights + ": integrity check failed: file has "),
        "refused by size");
    ModelFormatException e = assertThrows(ModelFormatException.class,
        () -> ModelJson.read(Files.readAllBytes(json), "model.json"));
    assertTrue(e.getMessage().startsWith("model.json: layers: "), e.getMessage());
  }

  @Test
  void aWeightsFileFarLargerThanTheLayersNeedIsRefusedBeforeItIsRead() throws Exception {
    try (RandomAccessFile f = new RandomAccessFile(weights.toFile(), "rw")) {
      f.setLength(3L << 30);   // sparse: takes no disk space, but reading it would take 3 GiB
    }

    assertEquals(weights + ": integrity check failed: file has 3221225472 bytes, more than the 100000216 that the"
        + " 26 parameters of the layers in model.json can take", refused().getMessage());
  }

  @Test
  void anOversizedModelJsonIsRefusedBeforeItIsRead() throws Exception {
    try (RandomAccessFile f = new RandomAccessFile(json.toFile(), "rw")) {
      f.setLength(ModelCodec.MAX_MODEL_JSON_BYTES + 1);
    }

    assertEquals(json + ": file has 268435457 bytes, more than the 268435456 a model.json may have",
        refused().getMessage());
  }

  @Test
  void isModelDirectoryRecognisesOnlyThisProjectsModels() throws Exception {
    assertTrue(ModelCodec.isModelDirectory(store, model.toString()));
    assertFalse(ModelCodec.isModelDirectory(store, tmp.resolve("none").toString()));
    assertFalse(ModelCodec.isModelDirectory(store, tmp.toString()), "a directory without model.json");
    edit("spark-backprop-mlp", "something-else");
    assertFalse(ModelCodec.isModelDirectory(store, model.toString()));
    Files.writeString(json, "not json");
    assertFalse(ModelCodec.isModelDirectory(store, model.toString()));
  }
}
