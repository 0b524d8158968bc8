package dev.ssrl.dataset;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
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
 * Writes a {@link TrainerLayout}'s file of a JSONL split on a single machine, with parquet-mr
 * through parquet-floor's Hadoop-free shims (no Hadoop install, local files only), uncompressed
 * (the JPEG bytes would not shrink) and with standard three-level lists so pyarrow, Hugging Face
 * datasets and Spark read them. It knows no layout: the schema, the rows and the footer are the
 * layout's.
 */
public final class ParquetExport {
  private ParquetExport() {}

  /** The parquet-mr schema of a layout's {@link TrainerLayout#columns() columns}. */
  public static MessageType schema(TrainerLayout layout) {
    StringBuilder s = new StringBuilder("message " + layout.schemaName() + " {\n");
    for (Column c : layout.columns()) {
      field(s, c, "  ");
    }
    return MessageTypeParser.parseMessageType(s.append("}").toString());
  }

  private static void field(StringBuilder s, Column c, String indent) {
    String repetition = c.required() ? "required " : "optional ";
    switch (c.type()) {
      case STRING -> s.append(indent + repetition + "binary " + c.name() + " (STRING);\n");
      case BYTES -> s.append(indent + repetition + "binary " + c.name() + ";\n");
      case INT64 -> s.append(indent + repetition + "int64 " + c.name() + ";\n");
      case LIST -> {
        s.append(indent + repetition + "group " + c.name() + " (LIST) {\n");
        s.append(indent + "  repeated group list {\n");
        field(s, c.fields().get(0), indent + "    ");
        s.append(indent + "  }\n").append(indent + "}\n");
      }
      case GROUP -> {
        s.append(indent + repetition + "group " + c.name() + " {\n");
        for (Column f : c.fields()) {
          field(s, f, indent + "  ");
        }
        s.append(indent + "}\n");
      }
    }
  }

  /**
   * Writes the layout's file of a JSONL split: {@code target} is replaced atomically.
   *
   * @param root the dataset folder; relative image paths resolve against it (an absolute one, as
   *     {@code --image-paths absolute} writes, resolves to itself)
   * @throws IOException naming the line, also when the layout cannot lay it out
   */
  public static void write(TrainerLayout layout, Path jsonl, Path target, String split, Path root)
      throws IOException {
    write(layout, jsonl, target, split, root::resolve);
  }

  /**
   * Writes the layout's file of a JSONL split, reading each image from the file {@code imageFile}
   * names for the line's image path: for a writer whose lines already name the images' final place
   * while the files still lie elsewhere (ssrl curate builds its dataset in a temporary folder).
   *
   * @param imageFile the file holding the image a line names by a path
   * @throws IOException naming the line, also when the layout cannot lay it out
   */
  public static void write(
      TrainerLayout layout, Path jsonl, Path target, String split, Function<String, Path> imageFile)
      throws IOException {
    MessageType schema = schema(layout);
    try {
      writeOrFail(jsonl, target, schema, layout, split, imageFile);
    } catch (IOException e) {
      throw AtomicFiles.writeFailed(target, e);
    }
  }

  /** A JSONL line as a layout reads it. */
  private static TrainerLayout.Line line(
      String text, String split, long index, Function<String, Path> imageFile) throws IOException {
    JsonNode n = DatasetJson.MAPPER.readTree(text);
    List<String> images = new ArrayList<>();
    for (JsonNode p : n.get("images")) {
      images.add(p.asText());
    }
    return new TrainerLayout.Line(
        n.get("id").asText(),
        n.get("task").asText(),
        n.get("problem").asText(),
        n.get("answer").asText(),
        images,
        // The line's own text of it, so that numbers keep their form (8.0 stays 8.0).
        rawValue(text, "metadata"),
        split,
        index,
        k -> Files.readAllBytes(imageFile.apply(images.get(k))));
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

  private static void writeOrFail(
      Path jsonl,
      Path target,
      MessageType schema,
      TrainerLayout layout,
      String split,
      Function<String, Path> imageFile)
      throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    try (BufferedReader r = Files.newBufferedReader(jsonl);
        ParquetWriter<List<Object>> w =
            new Builder(new LocalOutputFile(tmp), schema, layout.footer())
                .withConf(new PlainParquetConfiguration())
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .withCompressionCodec(CompressionCodecName.UNCOMPRESSED)
                // Small row groups keep the writer's buffer (and so the heap) small.
                .withRowGroupSize(16L * 1024 * 1024)
                .withPageSize(1024 * 1024)
                .build()) {
      long index = 0;
      for (String text = r.readLine(); text != null; text = r.readLine()) {
        try {
          w.write(layout.row(line(text, split, index, imageFile)));
        } catch (RuntimeException e) {
          throw new IOException(jsonl + " line " + (index + 1) + ": " + e.getMessage(), e);
        }
        index++;
      }
    }
    AtomicFiles.move(tmp, target);
  }

  private static final class Builder extends ParquetWriter.Builder<List<Object>, Builder> {
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
    protected WriteSupport<List<Object>> getWriteSupport(Configuration conf) {
      return new JsonWriteSupport(schema, footer);
    }

    @Override
    protected WriteSupport<List<Object>> getWriteSupport(ParquetConfiguration conf) {
      return new JsonWriteSupport(schema, footer);
    }
  }

  /**
   * Writes a row of values whose shape follows the schema ({@link Column}): strings, byte arrays,
   * longs, and lists for lists and groups.
   */
  private static final class JsonWriteSupport extends WriteSupport<List<Object>> {
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
    public void write(List<Object> record) {
      consumer.startMessage();
      fields(schema, record);
      consumer.endMessage();
    }

    private void fields(GroupType type, List<?> values) {
      if (values.size() != type.getFieldCount()) {
        throw new IllegalArgumentException(
            type.getName()
                + ": "
                + values.size()
                + " values for "
                + type.getFieldCount()
                + " fields");
      }
      for (int i = 0; i < type.getFieldCount(); i++) {
        Type field = type.getType(i);
        Object v = values.get(i);
        if (v == null) {
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

    private void value(Type type, Object v) {
      if (type.isPrimitive()) {
        switch (type.asPrimitiveType().getPrimitiveTypeName()) {
          case BINARY ->
              consumer.addBinary(
                  v instanceof byte[] b
                      ? Binary.fromConstantByteArray(b)
                      : Binary.fromString((String) v));
          case INT64 -> consumer.addLong(((Number) v).longValue());
          default -> throw new IllegalArgumentException("unsupported column type " + type);
        }
        return;
      }
      GroupType group = type.asGroupType();
      List<?> list = (List<?>) v;
      consumer.startGroup();
      if (group.getLogicalTypeAnnotation()
          instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation) {
        if (!list.isEmpty()) {
          Type element = group.getType(0).asGroupType().getType(0);
          consumer.startField("list", 0);
          for (Object e : list) {
            consumer.startGroup();
            // A null element of an optional element type: the element field is left out.
            if (e != null) {
              consumer.startField("element", 0);
              value(element, e);
              consumer.endField("element", 0);
            }
            consumer.endGroup();
          }
          consumer.endField("list", 0);
        }
      } else {
        fields(group, list);
      }
      consumer.endGroup();
    }
  }
}
