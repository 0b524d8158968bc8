package dev.ssrl.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.parquet.schema.MessageTypeParser;
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

  /**
   * The built-in layouts' schemas, written out by hand as they were before layouts had a class of
   * their own (issue 25): a file written today has the footer schema of one written then.
   */
  @Test
  void builtInSchemasAreTheFormatOnes() {
    String images =
        "  optional group images (LIST) {\n"
            + "    repeated group list {\n"
            + "      optional group element {\n"
            + "        optional binary bytes;\n"
            + "        optional binary path (STRING);\n"
            + "      }\n"
            + "    }\n"
            + "  }\n";
    assertEquals(
        MessageTypeParser.parseMessageType(
            "message ssrl {\n"
                + "  required binary id (STRING);\n"
                + "  required binary task (STRING);\n"
                + "  required binary problem (STRING);\n"
                + "  required binary answer (STRING);\n"
                + "  required group images (LIST) {\n"
                + "    repeated group list { required binary element (STRING); }\n"
                + "  }\n"
                + "  required binary metadata (STRING);\n"
                + "}"),
        ParquetExport.schema(new GenericParquetLayout()));
    assertEquals(
        MessageTypeParser.parseMessageType(
            "message trl {\n"
                + "  optional group prompt (LIST) {\n"
                + "    repeated group list {\n"
                + "      optional group element {\n"
                + "        optional binary role (STRING);\n"
                + "        optional group content (LIST) {\n"
                + "          repeated group list {\n"
                + "            optional group element {\n"
                + "              optional binary type (STRING);\n"
                + "              optional binary text (STRING);\n"
                + "            }\n"
                + "          }\n"
                + "        }\n"
                + "      }\n"
                + "    }\n"
                + "  }\n"
                + images
                + "  optional binary answer (STRING);\n"
                + "  optional binary task (STRING);\n"
                + "  optional binary id (STRING);\n"
                + "  optional binary metadata (STRING);\n"
                + "}"),
        ParquetExport.schema(new TrlLayout()));
    assertEquals(
        MessageTypeParser.parseMessageType(
            "message easyr1 {\n"
                + "  optional binary prompt (STRING);\n"
                + "  optional binary answer (STRING);\n"
                + images
                + "  optional binary id (STRING);\n"
                + "  optional binary task (STRING);\n"
                + "  optional binary metadata (STRING);\n"
                + "}"),
        ParquetExport.schema(new EasyR1Layout()));
    assertEquals(
        MessageTypeParser.parseMessageType(
            "message verl {\n"
                + "  required binary data_source (STRING);\n"
                + "  required group prompt (LIST) {\n"
                + "    repeated group list {\n"
                + "      required group element {\n"
                + "        required binary role (STRING);\n"
                + "        required binary content (STRING);\n"
                + "      }\n"
                + "    }\n"
                + "  }\n"
                + "  required group images (LIST) {\n"
                + "    repeated group list {\n"
                + "      required group element {\n"
                + "        required binary bytes;\n"
                + "        required binary path (STRING);\n"
                + "      }\n"
                + "    }\n"
                + "  }\n"
                + "  required binary ability (STRING);\n"
                + "  required group reward_model {\n"
                + "    required binary style (STRING);\n"
                + "    required binary ground_truth (STRING);\n"
                + "  }\n"
                + "  required group extra_info {\n"
                + "    required binary split (STRING);\n"
                + "    required int64 index;\n"
                + "    required binary id (STRING);\n"
                + "    required binary task (STRING);\n"
                + "  }\n"
                + "}"),
        ParquetExport.schema(new VerlLayout()));
  }

  /** Layouts are found through the service file, in its order, each under its own name. */
  @Test
  void theBuiltInLayoutsAreFoundInServiceOrder() {
    List<String> names = List.copyOf(TrainerLayouts.all().keySet());
    assertEquals(List.of("parquet", "trl", "easyr1", "verl"), names.subList(0, 4));
    for (TrainerLayout l : TrainerLayouts.all().values()) {
      for (String split : DatasetFormat.splits(0.5)) {
        String top = l.file(split).split("/")[0];
        assertTrue(DatasetFormat.entries().contains(top), l.name() + ": " + top);
      }
    }
  }
}
