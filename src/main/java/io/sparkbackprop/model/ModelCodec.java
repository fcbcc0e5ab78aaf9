package io.sparkbackprop.model;

import io.sparkbackprop.nn.NetworkSpec;
import io.sparkbackprop.nn.ParameterLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@link SavedModel} as the files of a model directory, and back:
 *
 * <pre>
 * model.json            architecture, loss, task, labels, features, preprocessing, provenance,
 *                       and weights: {"file": "weights.safetensors", "sha256": ..., "dtype": ...}
 * weights.safetensors   layers.{i}.weight (out, in) row-major and layers.{i}.bias (out), i
 *                       counting dense layers from 0, as PyTorch's nn.Linear names them
 * </pre>
 *
 * <p>Decoding checks everything before it returns: the sha256 recorded in model.json (when there
 * is one), and that the weights file holds exactly the tensors the architecture needs, with their
 * shapes and one dtype. Errors: {@link ModelNotFoundException} when the directory or its
 * model.json is missing, {@link ModelFormatException} for any bad content (its message starts with
 * the file's path), {@link IOException} when the filesystem fails.
 */
public final class ModelCodec {
  public static final String MODEL_JSON = "model.json";
  public static final String WEIGHTS_FILE = ModelJson.DEFAULT_WEIGHTS_FILE;
  /** Largest model.json read; far above what any model writes (provenance, per-feature means). */
  public static final long MAX_MODEL_JSON_BYTES = 256L << 20;
  private static final int SIZE_PREFIX_BYTES = 8;

  private ModelCodec() {
  }

  /** The files of the model directory: {@value #MODEL_JSON} and {@value #WEIGHTS_FILE}. */
  public static Map<String, byte[]> encode(SavedModel model) {
    ParameterLayout layout = model.network().layout();
    double[] p = model.parameters();
    LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
    for (int i = 0; i < layout.numLayers(); i++) {
      int out = layout.fanOut(i);
      int in = layout.fanIn(i);
      int w = layout.weightOffset(i);
      tensors.put(weightName(i), new Tensor(model.dtype(), new int[] {out, in}, Arrays.copyOfRange(p, w, w + out * in)));
      int b = layout.biasOffset(i);
      if (b >= 0) {
        tensors.put(biasName(i), new Tensor(model.dtype(), new int[] {out}, Arrays.copyOfRange(p, b, b + out)));
      }
    }
    byte[] weights = SafeTensors.encode(tensors);
    byte[] json = ModelJson.write(model, new ModelJson.WeightsRef(WEIGHTS_FILE, sha256(weights), model.dtype()));
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put(MODEL_JSON, json);
    files.put(WEIGHTS_FILE, weights);
    return files;
  }

  /** Writes {@code model} as directory {@code dir}, complete or not at all (see {@link ModelStore#writeDirectory}). */
  public static void save(ModelStore store, String dir, SavedModel model, boolean overwrite) throws IOException {
    store.writeDirectory(dir, encode(model), overwrite);
  }

  /** Reads and checks the model directory {@code dir}. */
  public static SavedModel decode(ModelStore store, String dir) throws IOException {
    if (!store.exists(dir)) {
      throw new ModelNotFoundException("model directory " + dir + " does not exist");
    }
    String prefix = dir.endsWith("/") ? dir : dir + "/";
    byte[] json;
    try {
      long size = store.size(dir, MODEL_JSON);
      if (size > MAX_MODEL_JSON_BYTES) {
        throw new ModelFormatException(prefix + MODEL_JSON + ": file has " + size + " bytes, more than the "
            + MAX_MODEL_JSON_BYTES + " a model.json may have");
      }
      json = store.read(dir, MODEL_JSON);
    } catch (NoSuchFileException e) {
      throw new ModelNotFoundException(prefix + MODEL_JSON + " does not exist; is " + dir + " a model directory?");
    }
    return decode(json, prefix, new FileReader() {
      @Override
      public byte[] read(String name) throws IOException {
        return store.read(dir, name);
      }

      @Override
      public long size(String name) throws IOException {
        return store.size(dir, name);
      }
    });
  }

  /**
   * True when {@code dir} holds a model.json (at most {@link #MAX_MODEL_JSON_BYTES}) whose
   * {@code format} is this project's: what a job may replace or prune as its own earlier output.
   * The rest of the directory is not checked.
   */
  public static boolean isModelDirectory(ModelStore store, String dir) throws IOException {
    if (!store.exists(dir) || !store.fileExists(dir, MODEL_JSON) || store.size(dir, MODEL_JSON) > MAX_MODEL_JSON_BYTES) {
      return false;
    }
    try {
      return ModelJson.FORMAT.equals(Json.parse(store.read(dir, MODEL_JSON), MODEL_JSON).path("format").asText(null));
    } catch (ModelFormatException e) {
      return false;
    }
  }

  /** Decodes the files {@link #encode} produced; messages name the bare file names. */
  public static SavedModel decode(Map<String, byte[]> files) {
    byte[] json = files.get(MODEL_JSON);
    if (json == null) {
      throw new ModelNotFoundException(MODEL_JSON + " is missing");
    }
    try {
      return decode(json, "", new FileReader() {
        @Override
        public byte[] read(String name) throws IOException {
          byte[] bytes = files.get(name);
          if (bytes == null) {
            throw new NoSuchFileException(name);
          }
          return bytes;
        }

        @Override
        public long size(String name) throws IOException {
          return read(name).length;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("reading from memory cannot fail", e);
    }
  }

  private interface FileReader {
    byte[] read(String name) throws IOException;

    long size(String name) throws IOException;
  }

  private static SavedModel decode(byte[] json, String prefix, FileReader reader) throws IOException {
    ModelJson.Document doc = ModelJson.read(json, prefix + MODEL_JSON,
        (file, numParameters) -> checkWeightsSize(reader, prefix, file, numParameters));
    String weightsFile = prefix + doc.weights().file();
    byte[] weights = reader.read(doc.weights().file());
    String recorded = doc.weights().sha256();
    if (recorded != null) {
      String actual = sha256(weights);
      if (!actual.equals(recorded)) {
        throw new ModelFormatException(weightsFile + ": integrity check failed: sha256 is " + actual + ", "
            + MODEL_JSON + " says " + recorded);
      }
    }
    LinkedHashMap<String, Tensor> tensors;
    try {
      tensors = SafeTensors.decode(weights);
    } catch (ModelFormatException e) {
      throw new ModelFormatException(weightsFile + ": " + e.getMessage(), e);
    }
    SavedModel template = doc.template();
    ParameterLayout layout = template.network().layout();
    Dtype dtype = doc.weights().dtype();
    Tensor first = tensors.get(weightName(0));
    String dtypeSource = dtype != null ? "as weights.dtype in " + MODEL_JSON + " says" : "like " + weightName(0);
    dtype = dtype != null ? dtype : first != null ? first.dtype() : Dtype.F64;
    double[] params = new double[template.network().numParameters()];
    for (int i = 0; i < layout.numLayers(); i++) {
      int[] weightShape = {layout.fanOut(i), layout.fanIn(i)};
      take(tensors, weightName(i), weightShape, dtype, dtypeSource, params, layout.weightOffset(i), weightsFile);
      if (layout.biasOffset(i) >= 0) {
        int[] biasShape = {layout.fanOut(i)};
        take(tensors, biasName(i), biasShape, dtype, dtypeSource, params, layout.biasOffset(i), weightsFile);
      }
    }
    if (!tensors.isEmpty()) {
      throw new ModelFormatException(weightsFile + ": unexpected tensor " + tensors.keySet().iterator().next()
          + "; the network in " + MODEL_JSON + " needs exactly " + expectedNames(template.network()));
    }
    return template.toBuilder().parameters(params).dtype(dtype).build();
  }

  /**
   * Refuses a weights file whose size cannot be right for {@code numParameters} before it is read:
   * the data alone needs 4 (F32) to 8 (F64) bytes per parameter, and the header is at most
   * {@link SafeTensors#MAX_HEADER_BYTES}.
   */
  private static void checkWeightsSize(FileReader reader, String prefix, String file, long numParameters) {
    long size;
    try {
      size = reader.size(file);
    } catch (NoSuchFileException e) {
      throw new ModelFormatException(prefix + MODEL_JSON + ": weights.file names " + file + ", which does not exist");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    long fewest = numParameters > (Long.MAX_VALUE - SIZE_PREFIX_BYTES) / Dtype.F32.byteSize() ? Long.MAX_VALUE
        : SIZE_PREFIX_BYTES + numParameters * Dtype.F32.byteSize();
    long most = numParameters > Integer.MAX_VALUE ? Long.MAX_VALUE
        : SIZE_PREFIX_BYTES + SafeTensors.MAX_HEADER_BYTES + numParameters * Dtype.F64.byteSize();
    if (size < fewest) {
      throw new ModelFormatException(prefix + file + ": integrity check failed: file has " + size + " bytes, fewer than"
          + " the " + (fewest == Long.MAX_VALUE ? "more than 2^61" : fewest) + " that the " + numParameters
          + " parameters of the layers in " + MODEL_JSON + " need (truncated, or " + MODEL_JSON + " edited?)");
    }
    if (size > most || size > Integer.MAX_VALUE - 8) {
      throw new ModelFormatException(prefix + file + ": integrity check failed: file has " + size + " bytes, more than"
          + " the " + Math.min(most, Integer.MAX_VALUE - 8) + " that the " + numParameters + " parameters of the layers in "
          + MODEL_JSON + " can take");
    }
  }

  /** Checks one expected tensor, copies it into {@code params} and removes it from {@code tensors}. */
  private static void take(Map<String, Tensor> tensors, String name, int[] shape, Dtype dtype, String dtypeSource,
      double[] params, int offset, String file) {
    Tensor t = tensors.remove(name);
    if (t == null) {
      throw new ModelFormatException(file + ": missing tensor " + name);
    }
    if (!Arrays.equals(t.shape(), shape)) {
      throw new ModelFormatException(file + ": tensor " + name + " has shape " + Arrays.toString(t.shape())
          + ", expected " + Arrays.toString(shape));
    }
    if (t.dtype() != dtype) {
      throw new ModelFormatException(file + ": tensor " + name + " has dtype " + t.dtype() + ", expected " + dtype
          + " " + dtypeSource);
    }
    System.arraycopy(t.values(), 0, params, offset, t.size());
  }

  private static String expectedNames(NetworkSpec network) {
    StringBuilder s = new StringBuilder("[");
    for (int i = 0; i < network.layers().size(); i++) {
      s.append(i == 0 ? "" : ", ").append(weightName(i));
      if (network.layers().get(i).bias()) {
        s.append(", ").append(biasName(i));
      }
    }
    return s.append(']').toString();
  }

  public static String weightName(int layer) {
    return "layers." + layer + ".weight";
  }

  public static String biasName(int layer) {
    return "layers." + layer + ".bias";
  }

  /** Lower-case hex SHA-256 of {@code bytes}. */
  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
