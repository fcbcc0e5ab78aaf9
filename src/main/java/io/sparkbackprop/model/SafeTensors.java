package io.sparkbackprop.model;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The safetensors file format, for the {@link Dtype}s this project uses.
 *
 * <p>Layout: an 8-byte little-endian unsigned header length {@code N}; {@code N} bytes of UTF-8
 * JSON, {@code {"__metadata__": {string: string}, "name": {"dtype": "F64", "shape": [4, 3],
 * "data_offsets": [begin, end]}, ...}}, padded with spaces to a multiple of 8 bytes; then the
 * little-endian data, each tensor at {@code [begin, end)} relative to the start of the data.
 *
 * <p>{@link #encode} writes compact JSON with the metadata first and the tensors contiguously in
 * map order, byte for byte what the reference implementation writes for the same order (it sorts
 * by dtype, then name; readers take any order). {@link #decode} is as strict as the reference
 * reader: the tensors must tile the data section exactly, with no gap, overlap or trailing byte.
 * Every problem is a {@link ModelFormatException} with a one-line message that names the tensor.
 */
public final class SafeTensors {

  /** Largest header accepted, the reference implementation's limit. */
  public static final long MAX_HEADER_BYTES = 100_000_000L;

  private static final String METADATA_KEY = "__metadata__";
  private static final int PREFIX_BYTES = 8;

  /** Tensors in file order with the optional string-to-string metadata (empty when absent). */
  public record Contents(LinkedHashMap<String, Tensor> tensors, Map<String, String> metadata) {
  }

  private SafeTensors() {
  }

  /** {@link #encode(Map, Map)} without metadata. */
  public static byte[] encode(LinkedHashMap<String, Tensor> tensors) {
    return encode(tensors, Map.of());
  }

  /**
   * Encodes {@code tensors} in iteration order, with {@code metadata} (may be empty) in the header.
   *
   * @throws IllegalArgumentException for the reserved name {@code __metadata__}, a finite value
   *     that overflows F32, or a file larger than a Java array can hold (2 GiB)
   */
  public static byte[] encode(Map<String, Tensor> tensors, Map<String, String> metadata) {
    long dataBytes = 0;
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      if (METADATA_KEY.equals(e.getKey())) {
        throw new IllegalArgumentException("tensor name " + METADATA_KEY + " is reserved for the metadata");
      }
      dataBytes += e.getValue().byteSize();
    }
    byte[] header = header(tensors, metadata);
    long total = PREFIX_BYTES + header.length + dataBytes;
    if (total > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("safetensors file would take " + total + " bytes, more than 2 GiB");
    }
    ByteBuffer out = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
    out.putLong(header.length).put(header);
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      Tensor t = e.getValue();
      for (int i = 0; i < t.size(); i++) {
        double v = t.value(i);
        if (t.dtype() == Dtype.F64) {
          out.putDouble(v);
        } else {
          float f = (float) v;
          if (Float.isInfinite(f) && !Double.isInfinite(v)) {
            throw new IllegalArgumentException("tensor " + e.getKey() + ": value " + v + " at index " + i
                + " overflows F32");
          }
          out.putFloat(f);
        }
      }
    }
    return out.array();
  }

  /** The space-padded JSON header: metadata first, then each tensor's dtype, shape and offsets. */
  private static byte[] header(Map<String, Tensor> tensors, Map<String, String> metadata) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JsonGenerator g = Json.MAPPER.createGenerator(bytes)) {
      g.writeStartObject();
      if (metadata != null && !metadata.isEmpty()) {
        g.writeObjectFieldStart(METADATA_KEY);
        for (Map.Entry<String, String> m : metadata.entrySet()) {
          g.writeStringField(m.getKey(), m.getValue());
        }
        g.writeEndObject();
      }
      long offset = 0;
      for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
        Tensor t = e.getValue();
        g.writeObjectFieldStart(e.getKey());
        g.writeStringField("dtype", t.dtype().name());
        g.writeArrayFieldStart("shape");
        for (int d : t.shape()) {
          g.writeNumber(d);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("data_offsets");
        g.writeNumber(offset);
        offset += t.byteSize();
        g.writeNumber(offset);
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int padding = (PREFIX_BYTES - bytes.size() % PREFIX_BYTES) % PREFIX_BYTES;
    for (int i = 0; i < padding; i++) {
      bytes.write(' ');
    }
    return bytes.toByteArray();
  }

  /** The tensors of a file, in file order. */
  public static LinkedHashMap<String, Tensor> decode(byte[] file) {
    return read(file).tensors();
  }

  /** Tensors and metadata of a file, validated completely before any value is read. */
  public static Contents read(byte[] file) {
    if (file.length < PREFIX_BYTES) {
      throw fail("file has " + file.length + " bytes, fewer than the 8-byte header length");
    }
    ByteBuffer buf = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    long n = buf.getLong(0);
    if (n < 0 || n > file.length - PREFIX_BYTES) {
      throw fail("header length " + Long.toUnsignedString(n) + " exceeds file size " + file.length);
    }
    if (n > MAX_HEADER_BYTES) {
      throw fail("header length " + n + " exceeds the limit of " + MAX_HEADER_BYTES + " bytes");
    }
    try {
      StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(file, PREFIX_BYTES, (int) n));
    } catch (CharacterCodingException e) {
      throw fail("header is not valid UTF-8");
    }
    JsonNode root = Json.parse(Arrays.copyOfRange(file, PREFIX_BYTES, PREFIX_BYTES + (int) n), "header");
    if (!root.isObject()) {
      throw fail("header must be a JSON object, was " + brief(root));
    }
    int dataStart = PREFIX_BYTES + (int) n;
    long dataBytes = file.length - dataStart;
    Map<String, String> metadata = new LinkedHashMap<>();
    List<Entry> entries = new ArrayList<>();
    for (Map.Entry<String, JsonNode> f : root.properties()) {
      if (METADATA_KEY.equals(f.getKey())) {
        readMetadata(f.getValue(), metadata);
      } else {
        entries.add(entry(f.getKey(), f.getValue(), dataBytes));
      }
    }
    entries.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
    long expected = 0;
    Entry previous = null;
    for (Entry e : entries) {
      if (e.begin < expected) {
        throw fail("tensors " + previous.name + " and " + e.name + " overlap: data_offsets "
            + previous.offsets() + " and " + e.offsets());
      }
      if (e.begin > expected) {
        throw fail("tensor " + e.name + ": " + (e.begin - expected) + " unused bytes before its data_offsets "
            + e.offsets() + "; tensors must be contiguous");
      }
      expected = e.end;
      previous = e;
    }
    if (expected != dataBytes) {
      throw fail((dataBytes - expected) + " trailing bytes after the last tensor's data");
    }
    LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
    for (Entry e : entries) {
      double[] values = new double[(int) (e.elements)];
      ByteBuffer data = ByteBuffer.wrap(file, dataStart + (int) e.begin, (int) (e.end - e.begin))
          .slice().order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < values.length; i++) {
        values[i] = e.dtype == Dtype.F64 ? data.getDouble() : data.getFloat();
      }
      tensors.put(e.name, new Tensor(e.dtype, e.shape, values));
    }
    return new Contents(tensors, metadata);
  }

  /** A header entry after its own checks: dtype known, shape and offsets consistent and in range. */
  private record Entry(String name, Dtype dtype, int[] shape, long elements, long begin, long end) {
    String offsets() {
      return "[" + begin + ", " + end + "]";
    }
  }

  private static Entry entry(String name, JsonNode info, long dataBytes) {
    String at = "tensor " + name + ": ";
    if (!info.isObject()) {
      throw fail(at + "expected an object with dtype, shape and data_offsets, was " + brief(info));
    }
    JsonNode dtypeNode = info.get("dtype");
    if (dtypeNode == null || !dtypeNode.isTextual()) {
      throw fail(at + "dtype must be a string, was " + brief(dtypeNode));
    }
    Dtype dtype;
    try {
      dtype = Dtype.fromName(dtypeNode.asText());
    } catch (IllegalArgumentException e) {
      throw fail(at + e.getMessage());
    }
    long[] dims = longs(info.get("shape"), -1, at + "shape");
    long[] offsets = longs(info.get("data_offsets"), 2, at + "data_offsets");
    int[] shape = new int[dims.length];
    long elements = 1;
    for (int i = 0; i < dims.length; i++) {
      if (dims[i] > Integer.MAX_VALUE || elements * dims[i] > Integer.MAX_VALUE - 8) {
        throw fail(at + "shape " + Arrays.toString(dims) + " has more elements than this reader supports");
      }
      shape[i] = (int) dims[i];
      elements *= dims[i];
    }
    long begin = offsets[0];
    long end = offsets[1];
    String span = "data_offsets [" + begin + ", " + end + "]";
    if (end < begin) {
      throw fail(at + span + " end before they begin");
    }
    if (end - begin != elements * dtype.byteSize()) {
      throw fail(at + span + " span " + (end - begin) + " bytes, but shape " + Arrays.toString(shape)
          + " of " + dtype + " needs " + elements * dtype.byteSize());
    }
    if (end > dataBytes) {
      throw fail(at + span + " run past the end of the " + dataBytes + "-byte data section");
    }
    return new Entry(name, dtype, shape, elements, begin, end);
  }

  /** A JSON array of non-negative integers; {@code length} -1 means any length. */
  private static long[] longs(JsonNode node, int length, String what) {
    String expected = length < 0 ? "an array of non-negative integers" : "an array of " + length
        + " non-negative integers";
    if (node == null || !node.isArray() || (length >= 0 && node.size() != length)) {
      throw fail(what + " must be " + expected + ", was " + brief(node));
    }
    long[] out = new long[node.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode v = node.get(i);
      if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
        throw fail(what + " must be " + expected + ", was " + brief(node));
      }
      out[i] = v.asLong();
    }
    return out;
  }

  private static void readMetadata(JsonNode node, Map<String, String> into) {
    if (!node.isObject()) {
      throw fail(METADATA_KEY + " must be an object of strings, was " + brief(node));
    }
    for (Map.Entry<String, JsonNode> m : node.properties()) {
      if (!m.getValue().isTextual()) {
        throw fail(METADATA_KEY + "." + m.getKey() + " must be a string, was " + brief(m.getValue()));
      }
      into.put(m.getKey(), m.getValue().asText());
    }
  }

  /** A JSON value shortened for an error message. */
  static String brief(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return "missing";
    }
    String s = node.toString();
    return s.length() <= 60 ? s : s.substring(0, 57) + "...";
  }

  private static ModelFormatException fail(String message) {
    return new ModelFormatException(message);
  }
}
