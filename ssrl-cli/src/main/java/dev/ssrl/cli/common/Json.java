package dev.ssrl.cli.common;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ssrl.dataset.DatasetJson;

/**
 * The command line's name for the one JSON configuration, {@link DatasetJson}, so that the dataset,
 * the journal, the reward server and the score reports read and write JSON alike.
 */
public final class Json {
  private Json() {}

  public static final ObjectMapper MAPPER = DatasetJson.MAPPER;

  public static String write(Object value) {
    return DatasetJson.write(value);
  }
}
