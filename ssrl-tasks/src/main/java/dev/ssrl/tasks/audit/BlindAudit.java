package dev.ssrl.tasks.audit;

import dev.ssrl.api.Task;
import dev.ssrl.api.Tasks;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The blind-baseline audit of a dataset: for every task, how often an answer can be guessed without
 * the evidence the task is meant to teach (answer-only priors, and image-position heuristics that
 * ignore depth). It reads only what a written sample carries, its task id, answer string and
 * metadata (as plain maps, lists, strings and numbers, e.g. parsed JSON); it never calls the
 * generators, so it checks them rather than restating them. What is counted for a task, and which
 * baselines it reports, is the task's own {@link Audited} capability; the built-in tasks' baselines
 * and their chance levels are listed in {@code docs/baselines.md}.
 *
 * <p>Every tally is an integer count (credits in twelfths, so that expected credits of 1/2, 1/3 and
 * 1/4 stay exact), which makes {@link #merge} associative and commutative: the CLI, reading the
 * JSONL file in order, and Spark, merging partitions in any order, write the same {@link #toMap}.
 * Samples of a task that is not {@link Audited}, or not known to the audit, are counted but get
 * only the answer-only baseline; metadata missing a field a heuristic needs leaves that sample out
 * of that heuristic's {@code evaluated} count. Instances are mutable and not thread-safe; use one
 * per thread and merge. A serialised audit keeps its counts but not its tasks: once deserialised it
 * knows the tasks on its class path ({@link Tasks#all()}).
 */
public final class BlindAudit implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * A baseline "beats chance by a wide margin" (and {@link #warnings} names it) when its accuracy
   * is at least this much above its chance level, in absolute terms.
   */
  public static final double WARN_MARGIN = 0.20;

  /** A baseline evaluated on fewer samples than this never warns (too noisy to mean much). */
  public static final int WARN_MIN_SAMPLES = 30;

  static final int UNIT = 12;

  /** What a task that does not say gets: the answer-only baseline over the distinct answers. */
  static final List<AuditBaseline> ANSWER_ONLY =
      List.of(AuditBaseline.answers("mostFrequentAnswer"));

  /**
   * Samples whose metadata has {@code depthSource: estimated} (depth from a model, written by
   * ssrl-depth's {@code DepthModel.metadata}) are audited apart, under their task id with this
   * suffix ({@code depth/estimated}): a model's depth has its own shortcuts, and they must not hide
   * in, or be hidden by, the sensor-depth samples.
   */
  public static final String ESTIMATED_SUFFIX = "/estimated";

  // Task id -> tally; TreeMap so that the output order is a function of the content only.
  private final TreeMap<String, Tally> tasks = new TreeMap<>();

  // Task id -> its audit capability; tasks are not serialisable, so a deserialised audit finds them
  // again on its class path.
  private transient Map<String, Audited> audited;

  /** One baseline's integer counts. */
  static final class Score implements Serializable {
    private static final long serialVersionUID = 1L;
    long evaluated;
    long credit; // in twelfths
    long chance; // in twelfths, summed over evaluated samples

    void add(int creditTwelfths, int chanceTwelfths) {
      evaluated++;
      credit += creditTwelfths;
      chance += chanceTwelfths;
    }

    void merge(Score o) {
      evaluated += o.evaluated;
      credit += o.credit;
      chance += o.chance;
    }
  }

  /** Everything counted for one task. */
  static final class Tally implements Serializable {
    private static final long serialVersionUID = 1L;
    long samples;
    // group key (context a blind model can see, "" for none) -> answer -> count
    final TreeMap<String, TreeMap<String, Long>> answers = new TreeMap<>();
    // named grouped counts, e.g. "letter" -> "" -> "C" -> n
    final TreeMap<String, TreeMap<String, TreeMap<String, Long>>> priors = new TreeMap<>();
    final TreeMap<String, Score> scores = new TreeMap<>();
    final TreeMap<String, Long> shares = new TreeMap<>();
    final TreeMap<String, Long> notes = new TreeMap<>();
    // Chance level of the answer-only priors, summed per sample in twelfths: exact only when the
    // per-sample chance is a multiple of 1/12, so permutation tasks store 1/K! by K instead.
    final TreeMap<Integer, Long> permutationSizes = new TreeMap<>();

    void count(String prior, String group, String value) {
      priors
          .computeIfAbsent(prior, k -> new TreeMap<>())
          .computeIfAbsent(group, k -> new TreeMap<>())
          .merge(value, 1L, Long::sum);
    }

    Score score(String name) {
      return scores.computeIfAbsent(name, k -> new Score());
    }

    void merge(Tally o) {
      samples += o.samples;
      mergeGrouped(answers, o.answers);
      for (Map.Entry<String, TreeMap<String, TreeMap<String, Long>>> e : o.priors.entrySet()) {
        mergeGrouped(priors.computeIfAbsent(e.getKey(), k -> new TreeMap<>()), e.getValue());
      }
      o.scores.forEach((k, v) -> score(k).merge(v));
      o.shares.forEach((k, v) -> shares.merge(k, v, Long::sum));
      o.notes.forEach((k, v) -> notes.merge(k, v, Long::sum));
      o.permutationSizes.forEach((k, v) -> permutationSizes.merge(k, v, Long::sum));
    }

    private static void mergeGrouped(
        TreeMap<String, TreeMap<String, Long>> into, TreeMap<String, TreeMap<String, Long>> from) {
      for (Map.Entry<String, TreeMap<String, Long>> g : from.entrySet()) {
        TreeMap<String, Long> t = into.computeIfAbsent(g.getKey(), k -> new TreeMap<>());
        g.getValue().forEach((a, n) -> t.merge(a, n, Long::sum));
      }
    }
  }

  /** An empty audit of the tasks on the class path ({@link Tasks#all()}). */
  public BlindAudit() {
    this(Tasks.all().values());
  }

  /**
   * An empty audit that knows these tasks (those implementing {@link Audited} are audited by their
   * own heuristics), e.g. the ones a Spark executor found through its context class loader.
   */
  public BlindAudit(Collection<? extends Task> tasks) {
    this.audited = auditedOf(tasks);
  }

  private static Map<String, Audited> auditedOf(Collection<? extends Task> tasks) {
    Map<String, Audited> m = new HashMap<>();
    for (Task t : tasks) {
      if (t instanceof Audited a) {
        m.put(t.id(), a);
      }
    }
    return Map.copyOf(m);
  }

  private Audited audited(String task) {
    if (audited == null) {
      audited = auditedOf(Tasks.all().values());
    }
    return audited.get(task);
  }

  private List<AuditBaseline> declared(String task) {
    Audited a = audited(task);
    return a == null ? ANSWER_ONLY : a.baselines();
  }

  /**
   * Adds one written sample.
   *
   * @param task the sample's task id
   * @param answer its answer string
   * @param metadata its metadata (maps, lists, strings, numbers); null counts as empty
   * @throws NullPointerException if {@code task} or {@code answer} is null
   */
  public void add(String task, String answer, Map<String, ?> metadata) {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(answer, "answer");
    Map<String, ?> meta = metadata == null ? Map.of() : metadata;
    String key = "estimated".equals(meta.get("depthSource")) ? task + ESTIMATED_SUFFIX : task;
    Tally t = tasks.computeIfAbsent(key, k -> new Tally());
    t.samples++;
    Audited a = audited(task);
    AuditTally tally = new AuditTally(t);
    if (a == null) {
      tally.answer("", answer);
    } else {
      a.audit(answer, meta, tally);
    }
  }

  /** Adds every count of {@code other} to this audit and returns this audit. */
  public BlindAudit merge(BlindAudit other) {
    for (Map.Entry<String, Tally> e : other.tasks.entrySet()) {
      tasks.computeIfAbsent(e.getKey(), k -> new Tally()).merge(e.getValue());
    }
    return this;
  }

  private static String baseTask(String key) {
    return key.endsWith(ESTIMATED_SUFFIX)
        ? key.substring(0, key.length() - ESTIMATED_SUFFIX.length())
        : key;
  }

  /**
   * The number of samples added for a task (0 when none); {@code task + ESTIMATED_SUFFIX} counts
   * those made from estimated depth, which the task id alone leaves out.
   */
  public long samples(String task) {
    Tally t = tasks.get(task);
    return t == null ? 0 : t.samples;
  }

  /**
   * The audit as a JSON-ready map: {@code margin}, {@code minSamples}, and per task its {@code
   * samples}, each baseline's {@code accuracy}, {@code chance}, {@code evaluated} count and whether
   * it is a {@code shortcut} (one that warns), and descriptive {@code shares}.
   */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("margin", WARN_MARGIN);
    m.put("minSamples", WARN_MIN_SAMPLES);
    Map<String, Object> perTask = new LinkedHashMap<>();
    for (Map.Entry<String, Tally> e : tasks.entrySet()) {
      perTask.put(e.getKey(), Report.task(declared(baseTask(e.getKey())), e.getValue()));
    }
    m.put("tasks", perTask);
    m.put("warnings", warnings());
    return m;
  }

  /**
   * One line per shortcut baseline that beats its chance level by at least {@link #WARN_MARGIN} on
   * at least {@link #WARN_MIN_SAMPLES} samples, e.g. {@code depth: heightOrder 92.4% (chance 16.7%,
   * n=900)}.
   */
  public List<String> warnings() {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, Tally> e : tasks.entrySet()) {
      for (Report.Baseline b : Report.baselines(declared(baseTask(e.getKey())), e.getValue())) {
        if (b.shortcut()
            && b.evaluated() >= WARN_MIN_SAMPLES
            && b.accuracy() - b.chance() >= WARN_MARGIN - 1e-12) {
          out.add(
              String.format(
                  java.util.Locale.ROOT,
                  "%s: %s %.1f%% (chance %.1f%%, n=%d)",
                  e.getKey(),
                  b.name(),
                  100 * b.accuracy(),
                  100 * b.chance(),
                  b.evaluated()));
        }
      }
    }
    return out;
  }
}
