package dev.ssrl.dataset;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.apache.parquet.schema.Type;

/**
 * Parquet copies of a JSONL split, written with parquet-mr through parquet-floor's Hadoop-free
 * shims (no Hadoop install, local files only), uncompressed (the JPEG bytes would not shrink) and
 * with standard three-level lists so pyarrow, Hugging Face datasets and Spark read them.
 */
public final class ParquetExport {
  private ParquetExport() {}

  /**
   * The generic layout of {@code train.parquet}: {@link DatasetFormat#PARQUET_COLUMNS}, all strings
   * but {@code images} (a list of image paths as the JSONL names them); metadata as JSON text.
   */
  public static final MessageType GENERIC = genericSchema();

  private static MessageType genericSchema() {
    StringBuilder s = new StringBuilder("message ssrl {\n");
    for (String c : DatasetFormat.PARQUET_COLUMNS) {
      s.append(
          c.equals("images")
              ? "  required group images (LIST) {\n"
                  + "    repeated group list { required binary element (STRING); }\n"
                  + "  }\n"
              : "  required binary " + c + " (STRING);\n");
    }
    return MessageTypeParser.parseMessageType(s.append("}").toString());
  }

  // The TRL and EasyR1 layouts are read through Hugging Face datasets, which takes a column's
  // feature (here: Image, so that rows hold decoded images, not byte structs) from the footer's
  // "huggingface" entry only when that feature's Arrow type equals the file's column type,
  // nullability included. Hence every field is optional, as pyarrow writes them.
  private static final String IMAGE_LIST =
      "  optional group images (LIST) {\n"
          + "    repeated group list {\n"
          + "      optional group element {\n"
          + "        optional binary bytes;\n"
          + "        optional binary path (STRING);\n"
          + "      }\n"
          + "    }\n"
          + "  }\n";

  /**
   * TRL's conversational layout ({@link DatasetFormat#TRL_COLUMNS}): {@code prompt} is a list of
   * messages whose {@code content} is a list of {@code {type, text}} blocks ({@code text} null for
   * {@code type = image}), {@code images} a list of {@code {bytes, path}} image structs.
   */
  public static final MessageType TRL = layoutSchema("trl", DatasetFormat.TRL_COLUMNS);

  /**
   * EasyR1's layout ({@link DatasetFormat#EASYR1_COLUMNS}): {@code prompt} the problem text with
   * its {@code <image>} placeholders, {@code images} a list of {@code {bytes, path}} image structs.
   */
  public static final MessageType EASYR1 = layoutSchema("easyr1", DatasetFormat.EASYR1_COLUMNS);

  private static MessageType layoutSchema(String name, List<String> columns) {
    StringBuilder s = new StringBuilder("message " + name + " {\n");
    for (String c : columns) {
      if (c.equals("images")) {
        s.append(IMAGE_LIST);
      } else if (c.equals("prompt") && name.equals("trl")) {
        s.append(
            "  optional group prompt (LIST) {\n"
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
                + "  }\n");
      } else {
        s.append("  optional binary " + c + " (STRING);\n");
      }
    }
    return MessageTypeParser.parseMessageType(s.append("}").toString());
  }

  /**
   * verl's RLHF dataset layout: chat prompt, images as Hugging Face image structs with the JPEG
   * bytes inlined (so the parquet works from any working directory), rule reward model.
   */
  public static final MessageType VERL =
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
              + "}");

  /** Writes the generic Parquet copy of a JSONL split. */
  public static void writeGeneric(Path jsonl, Path target) throws IOException {
    write(
        jsonl,
        target,
        GENERIC,
        Map.of(),
        (line, text, index) -> {
          ObjectNode row = DatasetJson.MAPPER.createObjectNode();
          for (String c : DatasetFormat.PARQUET_COLUMNS) {
            // metadata is the one column that is JSON text: the line's own text of it, so that
            // numbers keep their form (8.0 stays 8.0), as in the Spark job's column.
            if (c.equals("metadata")) {
              row.put(c, rawValue(text, c));
            } else {
              row.set(c, line.get(c));
            }
          }
          return row;
        });
  }

  /** Writes the verl Parquet copy of a JSONL split, images inlined from {@code root}. */
  public static void writeVerl(Path jsonl, Path target, String split, Path root)
      throws IOException {
    write(
        jsonl,
        target,
        VERL,
        Map.of(),
        (line, text, index) -> {
          ObjectNode row = DatasetJson.MAPPER.createObjectNode();
          String task = line.get("task").asText();
          row.put("data_source", "ssrl/" + task);
          ObjectNode message = DatasetJson.MAPPER.createObjectNode();
          message.put("role", "user");
          message.set("content", line.get("problem"));
          row.putArray("prompt").add(message);
          row.set("images", imageStructs(line, root));
          row.put("ability", "spatial");
          ObjectNode rm = row.putObject("reward_model");
          rm.put("style", "rule");
          rm.set("ground_truth", line.get("answer"));
          ObjectNode extra = row.putObject("extra_info");
          extra.put("split", split);
          extra.put("index", index);
          extra.set("id", line.get("id"));
          extra.put("task", task);
          return row;
        });
  }

  /**
   * Writes the TRL copy of a JSONL split ({@link #TRL}), images inlined from {@code root}.
   *
   * @throws IOException naming the line, also when a problem's placeholders do not match its images
   */
  public static void writeTrl(Path jsonl, Path target, Path root) throws IOException {
    write(
        jsonl,
        target,
        TRL,
        Map.of(
            DatasetFormat.HUGGING_FACE_KEY,
            DatasetFormat.huggingFaceFeatures(DatasetFormat.TRL_COLUMNS)),
        (line, text, index) -> {
          ObjectNode row = DatasetJson.MAPPER.createObjectNode();
          ObjectNode message = row.putArray("prompt").addObject();
          message.put("role", "user");
          ArrayNode content = message.putArray("content");
          checkPlaceholders(line);
          for (DatasetFormat.Block b : DatasetFormat.contentBlocks(line.get("problem").asText())) {
            ObjectNode block = content.addObject();
            block.put("type", b.type());
            if (b.text() != null) {
              block.put("text", b.text());
            }
          }
          row.set("images", imageStructs(line, root));
          commonColumns(row, line, text);
          return row;
        });
  }

  /**
   * Writes the EasyR1 copy of a JSONL split ({@link #EASYR1}), images inlined from {@code root}.
   *
   * @throws IOException naming the line, also when a problem's placeholders do not match its images
   */
  public static void writeEasyR1(Path jsonl, Path target, Path root) throws IOException {
    write(
        jsonl,
        target,
        EASYR1,
        Map.of(
            DatasetFormat.HUGGING_FACE_KEY,
            DatasetFormat.huggingFaceFeatures(DatasetFormat.EASYR1_COLUMNS)),
        (line, text, index) -> {
          checkPlaceholders(line);
          ObjectNode row = DatasetJson.MAPPER.createObjectNode();
          row.set("prompt", line.get("problem"));
          row.set("images", imageStructs(line, root));
          commonColumns(row, line, text);
          return row;
        });
  }

  private static void commonColumns(ObjectNode row, JsonNode line, String text) throws IOException {
    row.set("answer", line.get("answer"));
    row.set("task", line.get("task"));
    row.set("id", line.get("id"));
    row.put("metadata", rawValue(text, "metadata"));
  }

  private static void checkPlaceholders(JsonNode line) {
    DatasetFormat.checkPlaceholders(
        line.get("id").asText(), line.get("problem").asText(), line.get("images").size());
  }

  /** The line's images as {@code {bytes, path}} structs, the bytes read from {@code root}. */
  private static ArrayNode imageStructs(JsonNode line, Path root) throws IOException {
    ArrayNode images = DatasetJson.MAPPER.createArrayNode();
    for (JsonNode p : line.get("images")) {
      ObjectNode image = images.addObject();
      // An absolute path (--image-paths absolute) resolves to itself.
      image.put("bytes", Files.readAllBytes(root.resolve(p.asText())));
      image.set("path", p);
    }
    return images;
  }

  private interface RowMaker {
    ObjectNode row(JsonNode line, String text, long index) throws IOException;
  }

  /** The text of a top-level key's value in a one-line JSON object, exactly as written. */
  static String rawValue(String line, String key) throws IOException {
    try (JsonParser p = DatasetJson.MAPPER.getFactory().createParser(line)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("not a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        boolean wanted = key.equals(p.currentName());
        p.nextToken();
        int start = (int) p.currentTokenLocation().getCharOffset();
        p.skipChildren();
        // A scalar string is read lazily: finish it so the location is past its end.
        p.finishToken();
        if (wanted) {
          int end = (int) p.currentLocation().getCharOffset();
          return line.substring(start, end);
        }
      }
    }
    throw new IOException("missing field '" + key + "'");
  }

  private static void write(
      Path jsonl, Path target, MessageType schema, Map<String, String> footer, RowMaker maker)
      throws IOException {
    try {
      writeOrFail(jsonl, target, schema, footer, maker);
    } catch (IOException e) {
      throw AtomicFiles.writeFailed(target, e);
    }
  }

  private static void writeOrFail(
      Path jsonl, Path target, MessageType schema, Map<String, String> footer, RowMaker maker)
      throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    try (BufferedReader r = Files.newBufferedReader(jsonl);
        ParquetWriter<JsonNode> w =
            new Builder(new LocalOutputFile(tmp), schema, footer)
                .withConf(new PlainParquetConfiguration())
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .withCompressionCodec(CompressionCodecName.UNCOMPRESSED)
                // Small row groups keep the writer's buffer (and so the heap) small.
                .withRowGroupSize(16L * 1024 * 1024)
                .withPageSize(1024 * 1024)
                .build()) {
      long index = 0;
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        try {
          w.write(maker.row(DatasetJson.MAPPER.readTree(line), line, index));
        } catch (RuntimeException e) {
          throw new IOException(jsonl + " line " + (index + 1) + ": " + e.getMessage(), e);
        }
        index++;
      }
    }
    AtomicFiles.move(tmp, target);
  }

  private static final class Builder extends ParquetWriter.Builder<JsonNode, Builder> {
    private final MessageType schema;
    private final Map<String, String> footer;

    Builder(OutputFile file, MessageType schema, Map<String, String> footer) {
      super(file);
      this.schema = schema;
      this.footer = footer;
    }

    @Override
    protected Builder self() {
      return this;
    }

    @Override
    protected WriteSupport<JsonNode> getWriteSupport(Configuration conf) {
      return new JsonWriteSupport(schema, footer);
    }

    @Override
    protected WriteSupport<JsonNode> getWriteSupport(ParquetConfiguration conf) {
      return new JsonWriteSupport(schema, footer);
    }
  }

  /** Writes a JSON tree whose shape follows the schema (binary nodes become BINARY bytes). */
  private static final class JsonWriteSupport extends WriteSupport<JsonNode> {
    private final MessageType schema;
    private final Map<String, String> footer;
    private RecordConsumer consumer;

    JsonWriteSupport(MessageType schema, Map<String, String> footer) {
      this.schema = schema;
      this.footer = footer;
    }

    @Override
    public WriteContext init(Configuration conf) {
      return new WriteContext(schema, new HashMap<>(footer));
    }

    @Override
    public WriteContext init(ParquetConfiguration conf) {
      return new WriteContext(schema, new HashMap<>(footer));
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
      this.consumer = recordConsumer;
    }

    @Override
    public void write(JsonNode record) {
      consumer.startMessage();
      fields(schema, record);
      consumer.endMessage();
    }

    private void fields(GroupType type, JsonNode node) {
      for (int i = 0; i < type.getFieldCount(); i++) {
        Type field = type.getType(i);
        JsonNode v = node.get(field.getName());
        if (v == null || v.isNull()) {
          if (field.isRepetition(Type.Repetition.REQUIRED)) {
            throw new IllegalArgumentException("missing field '" + field.getName() + "'");
          }
          continue;
        }
        consumer.startField(field.getName(), i);
        value(field, v);
        consumer.endField(field.getName(), i);
      }
    }

    private void value(Type type, JsonNode v) {
      if (type.isPrimitive()) {
        switch (type.asPrimitiveType().getPrimitiveTypeName()) {
          case BINARY -> {
            try {
              consumer.addBinary(
                  v.isBinary()
                      ? Binary.fromConstantByteArray(v.binaryValue())
                      : Binary.fromString(v.asText()));
            } catch (IOException e) {
              throw new IllegalArgumentException(e.getMessage(), e);
            }
          }
          case INT64 -> consumer.addLong(v.asLong());
          case INT32 -> consumer.addInteger(v.asInt());
          case DOUBLE -> consumer.addDouble(v.asDouble());
          case BOOLEAN -> consumer.addBoolean(v.asBoolean());
          default -> throw new IllegalArgumentException("unsupported column type " + type);
        }
        return;
      }
      GroupType group = type.asGroupType();
      consumer.startGroup();
      if (group.getLogicalTypeAnnotation()
          instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation) {
        if (v.size() > 0) {
          Type element = group.getType(0).asGroupType().getType(0);
          consumer.startField("list", 0);
          for (JsonNode e : v) {
            consumer.startGroup();
            consumer.startField("element", 0);
            value(element, e);
            consumer.endField("element", 0);
            consumer.endGroup();
          }
          consumer.endField("list", 0);
        }
      } else {
        fields(group, v);
      }
      consumer.endGroup();
    }
  }
}
