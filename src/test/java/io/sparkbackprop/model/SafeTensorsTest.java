package io.sparkbackprop.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SafeTensorsTest {

  private static LinkedHashMap<String, Tensor> map(Object... nameTensor) {
    LinkedHashMap<String, Tensor> m = new LinkedHashMap<>();
    for (int i = 0; i < nameTensor.length; i += 2) {
      m.put((String) nameTensor[i], (Tensor) nameTensor[i + 1]);
    }
    return m;
  }

  /** A file from a header text (unpadded) and {@code dataBytes} zero bytes of data. */
  private static byte[] file(String header, int dataBytes) {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN)
        .putLong(h.length).put(h).array();
  }

  @Test
  void f64RoundTripKeepsEveryBit() {
    double[] values = {0.1, -0.0, Double.MIN_VALUE, Double.MAX_VALUE, -1e-300, Double.NaN};
    LinkedHashMap<String, Tensor> tensors = map(
        "layers.0.weight", Tensor.f64(new int[] {2, 3}, values),
        "layers.0.bias", Tensor.f64(new int[] {2}, 7.25, -3.5));

    LinkedHashMap<String, Tensor> back = SafeTensors.decode(SafeTensors.encode(tensors));

    assertEquals(tensors, back);
    assertEquals(List.of("layers.0.weight", "layers.0.bias"), List.copyOf(back.keySet()));
  }

  @Test
  void f32RoundTripRoundsEachValueToTheNearestFloat() {
    double[] values = {0.1, 1.0 / 3.0, -123456.789, 1e-40, 16777217.0};
    LinkedHashMap<String, Tensor> tensors = map("t", new Tensor(Dtype.F32, new int[] {5}, values));

    Tensor back = SafeTensors.decode(SafeTensors.encode(tensors)).get("t");

    assertEquals(Dtype.F32, back.dtype());
    for (int i = 0; i < values.length; i++) {
      assertEquals((double) (float) values[i], back.value(i), "value " + i);
    }
    assertEquals(16777216.0, back.value(4), "2^24 + 1 is not a float and rounds to even");
  }

  @Test
  void f32RefusesAFiniteValueThatOverflows() {
    LinkedHashMap<String, Tensor> tensors = map("t", new Tensor(Dtype.F32, new int[] {2}, new double[] {1, 1e300}));

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SafeTensors.encode(tensors));
    assertEquals("tensor t: value 1.0E300 at index 1 overflows F32", e.getMessage());
  }

  @Test
  void scalarsEmptyTensorsAndMetadataRoundTrip() {
    LinkedHashMap<String, Tensor> tensors = map(
        "scalar", Tensor.f64(new int[] {}, 2.5),
        "empty", Tensor.f64(new int[] {0, 4}),
        "after", Tensor.f64(new int[] {1}, -1));
    Map<String, String> metadata = Map.of("format", "pt");

    SafeTensors.Contents back = SafeTensors.read(SafeTensors.encode(tensors, metadata));

    assertEquals(tensors, back.tensors());
    assertEquals(metadata, back.metadata());
  }

  /**
   * The bytes the reference implementation (the Rust crate behind Python's safetensors) produces
   * for the same tensors, taken from its own serialization tests: F32 values 0..5 of shape
   * [1, 2, 3], and of shape [1, 1, 2, 3] under a shorter name, which needs 7 bytes of padding.
   */
  @Test
  void encodingMatchesTheReferenceImplementationByteForByte() {
    double[] zeroToFive = {0, 1, 2, 3, 4, 5};
    String data = "00000000" + "0000803f" + "00000040" + "00004040" + "00008040" + "0000a040";

    byte[] aligned = SafeTensors.encode(map("attn.0", new Tensor(Dtype.F32, new int[] {1, 2, 3}, zeroToFive)));
    String header = "{\"attn.0\":{\"dtype\":\"F32\",\"shape\":[1,2,3],\"data_offsets\":[0,24]}}";
    assertEquals("4000000000000000" + hex(header) + data, HexFormat.of().formatHex(aligned));

    byte[] padded = SafeTensors.encode(map("attn0", new Tensor(Dtype.F32, new int[] {1, 1, 2, 3}, zeroToFive)));
    String header2 = "{\"attn0\":{\"dtype\":\"F32\",\"shape\":[1,1,2,3],\"data_offsets\":[0,24]}}       ";
    assertEquals("4800000000000000" + hex(header2) + data, HexFormat.of().formatHex(padded));

    byte[] metadataOnly = SafeTensors.encode(new LinkedHashMap<>(), Map.of("framework", "pt"));
    assertEquals("2800000000000000" + hex("{\"__metadata__\":{\"framework\":\"pt\"}}     "),
        HexFormat.of().formatHex(metadataOnly));
    assertEquals(List.of(0.0, 1.0, 2.0, 3.0, 4.0, 5.0), boxed(SafeTensors.decode(padded).get("attn0").values()));
  }

  @Test
  void layoutIsLengthPrefixPaddedJsonHeaderThenLittleEndianData() throws Exception {
    byte[] file = SafeTensors.encode(map(
        "w", Tensor.f64(new int[] {1, 2}, 1.0, -2.5),
        "bias", new Tensor(Dtype.F32, new int[] {1}, new double[] {0.5})));

    long n = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
    assertEquals(0, n % 8, "header padded to a multiple of 8");
    assertEquals(file.length, 8 + n + 16 + 4, "prefix + header + 2 doubles + 1 float");
    String header = new String(file, 8, (int) n, StandardCharsets.UTF_8);
    assertEquals("{\"w\":{\"dtype\":\"F64\",\"shape\":[1,2],\"data_offsets\":[0,16]},"
        + "\"bias\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[16,20]}}     ", header,
        "compact JSON, then 5 spaces to make 115 bytes a multiple of 8");
    JsonNode json = Json.MAPPER.readTree(header);
    assertEquals("F64", json.get("w").get("dtype").asText());
    assertEquals("[1,2]", json.get("w").get("shape").toString());
    assertEquals("[0,16]", json.get("w").get("data_offsets").toString());
    assertEquals("[16,20]", json.get("bias").get("data_offsets").toString());
    String data = HexFormat.of().formatHex(file, 8 + (int) n, file.length);
    assertEquals("000000000000f03f" + "00000000000004c0" + "0000003f", data, "1.0, -2.5 as LE doubles; 0.5 as LE float");
  }

  static Stream<Arguments> malformedFiles() {
    String ok = "\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]";
    return Stream.of(
        Arguments.of(new byte[] {1, 0, 0}, "file has 3 bytes, fewer than the 8-byte header length"),
        Arguments.of(ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putLong(100).array(),
            "header length 100 exceeds file size 12"),
        Arguments.of(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(-1).array(),
            "header length 18446744073709551615 exceeds file size 8"),
        Arguments.of(ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN).putLong(2).put((byte) 0xc3)
            .put((byte) 0x28).array(), "header is not valid UTF-8"),
        Arguments.of(file("{\"a\":", 0), "header: invalid JSON at line 1, column 6: Unexpected end-of-input"
            + " within/between Object entries"),
        Arguments.of(file("[1, 2]", 0), "header must be a JSON object, was [1,2]"),
        Arguments.of(file("{\"a\":{" + ok + "},\"a\":{" + ok + "}}", 16),
            "header: invalid JSON at line 1, column 59: Duplicate field 'a'"),
        Arguments.of(file("{\"a\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4),
            "tensor a: unsupported dtype 'BF16', expected one of [F64, F32]"),
        Arguments.of(file("{\"a\":{\"dtype\":\"F64\",\"shape\":[2,3],\"data_offsets\":[0,16]}}", 16),
            "tensor a: data_offsets [0, 16] span 16 bytes, but shape [2, 3] of F64 needs 48"),
        Arguments.of(file("{\"a\":{\"dtype\":\"F64\",\"shape\":[0],\"data_offsets\":[8,0]}}", 8),
            "tensor a: data_offsets [8, 0] end before they begin"),
        Arguments.of(file("{\"a\":{\"dtype\":\"F64\",\"shape\":[-2],\"data_offsets\":[0,16]}}", 16),
            "tensor a: shape must be an array of non-negative integers, was [-2]"),
        Arguments.of(file("{\"a\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0]}}", 16),
            "tensor a: data_offsets must be an array of 2 non-negative integers, was [0]"),
        Arguments.of(file("{\"a\":{" + ok + "}}", 8),
            "tensor a: data_offsets [0, 16] run past the end of the 8-byte data section"),
        Arguments.of(file("{\"a\":{" + ok + "},\"b\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[8,16]}}", 16),
            "tensors a and b overlap: data_offsets [0, 16] and [8, 16]"),
        Arguments.of(file("{\"a\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[8,16]}}", 16),
            "tensor a: 8 unused bytes before its data_offsets [8, 16]; tensors must be contiguous"),
        Arguments.of(file("{\"a\":{" + ok + "}}", 19), "3 trailing bytes after the last tensor's data"),
        Arguments.of(file("{\"__metadata__\":{\"epochs\":3}}", 0), "__metadata__.epochs must be a string, was 3"));
  }

  @ParameterizedTest
  @MethodSource("malformedFiles")
  void decodeRefusesMalformedFilesWithOneLine(byte[] file, String message) {
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> SafeTensors.decode(file));
    assertEquals(message, e.getMessage());
  }

  @Test
  void decodeAcceptsTensorsListedOutOfOffsetOrder() {
    String header = "{\"b\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[8,16]},"
        + "\"a\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}}";
    byte[] f = file(header, 16);
    ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN).putDouble(f.length - 16, 1.5).putDouble(f.length - 8, 2.5);

    LinkedHashMap<String, Tensor> back = SafeTensors.decode(f);

    assertEquals(List.of("a", "b"), List.copyOf(back.keySet()), "file order, by offset");
    assertArrayEquals(new double[] {1.5}, back.get("a").values());
    assertArrayEquals(new double[] {2.5}, back.get("b").values());
  }

  private static String hex(String s) {
    return HexFormat.of().formatHex(s.getBytes(StandardCharsets.UTF_8));
  }

  private static List<Double> boxed(double[] values) {
    return java.util.Arrays.stream(values).boxed().toList();
  }
}
