package dev.ssrl.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParquetExportTest {
  /** The metadata column is the line's own text: 8.0 stays 8.0, exponents keep their form. */
  @Test
  void rawValueIsTheTextAsWritten() throws IOException {
    String meta = "{\"t\":8.0,\"e\":1.0E-5,\"s\":\"a}\\\"b\",\"l\":[0.0,{\"x\":[]}]}";
    String line = SampleLine.of("i", "t", "p \"q\"", "a", List.of("images/t/i.jpg"), meta);
    assertEquals(meta, ParquetExport.rawValue(line, "metadata"));
    assertEquals("\"p \\\"q\\\"\"", ParquetExport.rawValue(line, "problem"));
    assertEquals("[\"images/t/i.jpg\"]", ParquetExport.rawValue(line, "images"));
    assertThrows(IOException.class, () -> ParquetExport.rawValue(line, "nope"));
    assertEquals(
        "{\"k\":1.0}",
        ParquetExport.rawValue(DatasetJson.write(Map.of("m", Map.of("k", 1.0))), "m"));
  }
}
