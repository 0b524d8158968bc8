package dev.ssrl.tasks;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Question wording for the tasks, as data: one UTF-8 {@code .properties} file per profile.
 *
 * <p>Built-in profiles live on the class path at {@code dev/ssrl/tasks/prompts/<name>.properties};
 * the default {@code spatial-ssrl} follows the released Spatial-SSRL-81k wording (SPEC §4). Users
 * add a wording or a language by putting another file there or loading one with {@link
 * #load(String, Path)}. Templates use {@code {name}} placeholders filled by {@link #format}.
 */
public final class PromptProfile {
  private static final Map<String, PromptProfile> BUILT_IN = new ConcurrentHashMap<>();

  private final String name;
  private final Map<String, String> templates;

  private PromptProfile(String name, Map<String, String> templates) {
    this.name = name;
    this.templates = Collections.unmodifiableMap(new TreeMap<>(templates));
  }

  /**
   * The built-in profile with this name, loaded once from the class path.
   *
   * @throws IllegalArgumentException if no such profile exists
   */
  public static PromptProfile named(String name) {
    Objects.requireNonNull(name, "name");
    return BUILT_IN.computeIfAbsent(name, PromptProfile::fromClassPath);
  }

  private static PromptProfile fromClassPath(String name) {
    if (!name.matches("[A-Za-z0-9_.-]+")) {
      throw new IllegalArgumentException("bad prompt profile name '" + name + "'");
    }
    String resource = "prompts/" + name + ".properties";
    try (InputStream in = PromptProfile.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException(
            "no prompt profile '" + name + "' (looked for dev/ssrl/tasks/" + resource + ")");
      }
      return parse(name, new InputStreamReader(in, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read prompt profile '" + name + "'", e);
    }
  }

  /**
   * A profile read from a UTF-8 properties file.
   *
   * @throws IOException naming the file if it cannot be read
   */
  public static PromptProfile load(String name, Path file) throws IOException {
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return parse(name, r);
    } catch (IOException e) {
      throw new IOException("cannot read prompt profile " + file + ": " + e.getMessage(), e);
    }
  }

  private static PromptProfile parse(String name, Reader reader) throws IOException {
    Properties p = new Properties();
    p.load(reader);
    Map<String, String> m = new TreeMap<>();
    for (String k : p.stringPropertyNames()) {
      m.put(k, p.getProperty(k));
    }
    return new PromptProfile(name, m);
  }

  public String name() {
    return name;
  }

  /** Whether the profile has a template for this key. */
  public boolean has(String key) {
    return templates.containsKey(key);
  }

  /**
   * The template {@code key} with every {@code {var}} replaced by its value.
   *
   * @throws IllegalArgumentException naming the profile and key if the template is missing, or the
   *     placeholder if a variable has no value
   */
  public String format(String key, Map<String, String> vars) {
    String t = templates.get(key);
    if (t == null) {
      throw new IllegalArgumentException(
          "prompt profile '" + name + "' has no template '" + key + "'");
    }
    StringBuilder out = new StringBuilder(t.length() + 64);
    int i = 0;
    while (i < t.length()) {
      char c = t.charAt(i);
      int close = c == '{' ? t.indexOf('}', i) : -1;
      if (close > i + 1 && t.substring(i + 1, close).matches("[A-Za-z0-9_]+")) {
        String var = t.substring(i + 1, close);
        String v = vars.get(var);
        if (v == null) {
          throw new IllegalArgumentException(
              "prompt '" + key + "' of profile '" + name + "' needs a value for {" + var + "}");
        }
        out.append(v);
        i = close + 1;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }
}
