package dev.ssrl.dataset;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The one JSON configuration of the dataset format, for every front end: compact, insertion-ordered
 * and strict. The same values always give the same bytes (maps keep insertion order, non-ASCII
 * stays UTF-8); input with duplicate keys or trailing tokens is an error, and decimals are read as
 * {@link java.math.BigDecimal}, without binary rounding.
 */
public final class DatasetJson {
  private DatasetJson() {}

  /** The mapper; configure nothing on it (it is shared). */
  public static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .disable(SerializationFeature.INDENT_OUTPUT)
          .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
          .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .build();

  /**
   * The compact JSON text of a value (maps, lists, strings, numbers, booleans, JSON trees).
   *
   * @throws IllegalArgumentException if Jackson cannot write the value
   */
  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("value cannot be written as JSON: " + e.getMessage(), e);
    }
  }

  /**
   * Parses one JSON text strictly.
   *
   * @param what names the text in the error (a file and line), e.g. {@code "rejects.jsonl line 3"}
   * @throws IllegalArgumentException naming {@code what} if the text is not one JSON value
   */
  public static JsonNode read(String text, String what) {
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(what + ": not valid JSON: " + e.getOriginalMessage(), e);
    }
  }
}
