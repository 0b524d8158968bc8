package dev.ssrl.tasks.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The per-task tallies of {@link BlindAudit}, from a sample's answer and metadata only. The
 * direction table of SPEC §3.5 is written out again here on purpose: the audit restates the
 * specification rather than calling the generator it audits.
 */
final class Heuristics {
  private Heuristics() {}

  static final int U = BlindAudit.UNIT;

  static void shuffle(BlindAudit.Tally t, String answer, Map<String, ?> meta) {
    // The grid is visible in the image, so a blind model's best answer is per grid.
    String grid = text(meta.get("grid"), "?");
    t.answers.computeIfAbsent(grid, k -> new TreeMap<>()).merge(answer, 1L, Long::sum);
    t.permutationSizes.merge(answer.split("-", -1).length, 1L, Long::sum);
  }

  static void flip(BlindAudit.Tally t, String answer, Map<String, ?> meta) {
    t.answers.computeIfAbsent("", k -> new TreeMap<>()).merge(answer, 1L, Long::sum);
    String[] parts = answer.split("-", -1);
    if (parts.length == 2) {
      t.count("tile", "", parts[0]);
      t.count("direction", "", parts[1]);
    }
  }

  static void crop(BlindAudit.Tally t, String answer, Map<String, ?> meta) {
    t.answers.computeIfAbsent("", k -> new TreeMap<>()).merge(answer, 1L, Long::sum);
    List<?> kinds = meta.get("slotKinds") instanceof List<?> l ? l : null;
    if (kinds == null || kinds.size() != 4 || answer.length() != 1) {
      return;
    }
    int truth = answer.charAt(0) - 'A';
    if (truth < 0 || truth >= 4) {
      return;
    }
    int[][] g = new int[4][];
    for (int i = 0; i < 4; i++) {
      g[i] = transform(String.valueOf(kinds.get(i)));
      if (g[i] == null) {
        return;
      }
    }
    // Candidate consistency: the true crop is a slot from which each other candidate is one of
    // the five distractor transforms. A model that compares the candidates with each other, and
    // never looks at the context image, answers a consistent slot (uniformly among several).
    int consistent = 0;
    boolean truthConsistent = false;
    for (int i = 0; i < 4; i++) {
      boolean ok = true;
      for (int j = 0; j < 4 && ok; j++) {
        ok = j == i || isDistractorOf(g[j], g[i]);
      }
      if (ok) {
        consistent++;
        truthConsistent |= i == truth;
      }
    }
    int credit = truthConsistent ? U / consistent : 0;
    t.score("candidateConsistency").add(credit, U / 4);
  }

  /**
   * A candidate kind as {rotation quarter-turns clockwise, log2 scale, log3 scale} relative to the
   * true crop: the zoom-in doubles, the quarter zoom-out scales by 2/3, the half zoom-out by 1/2.
   */
  private static int[] transform(String kind) {
    return switch (kind) {
      case "crop" -> new int[] {0, 0, 0};
      case "rotate-cw" -> new int[] {1, 0, 0};
      case "rotate-ccw" -> new int[] {3, 0, 0};
      case "zoom-in" -> new int[] {0, 1, 0};
      case "zoom-out-quarter" -> new int[] {0, 1, -1};
      case "zoom-out-half" -> new int[] {0, -1, 0};
      default -> null;
    };
  }

  /**
   * Whether {@code c} is a rotation by a quarter turn or one of the three zooms of {@code base}.
   */
  private static boolean isDistractorOf(int[] c, int[] base) {
    int rot = Math.floorMod(c[0] - base[0], 4);
    int a = c[1] - base[1];
    int b = c[2] - base[2];
    if (a == 0 && b == 0) {
      return rot == 1 || rot == 3;
    }
    return rot == 0 && ((a == 1 && b == 0) || (a == 1 && b == -1) || (a == -1 && b == 0));
  }

  static void depth(BlindAudit.Tally t, String answer, Map<String, ?> meta) {
    t.answers.computeIfAbsent("", k -> new TreeMap<>()).merge(answer, 1L, Long::sum);
    String[] labels = answer.split("-", -1);
    for (int i = 0; i < labels.length; i++) {
      t.count("labelAtPosition", Integer.toString(i), labels[i]);
    }
    List<?> regions = meta.get("regions") instanceof List<?> l ? l : null;
    if (regions == null || regions.size() != labels.length || regions.isEmpty()) {
      return;
    }
    // Height order: the lower region in the image (larger y) is the nearer; ties by label.
    List<double[]> byLabel = new ArrayList<>();
    for (Object o : regions) {
      if (!(o instanceof Map<?, ?> r)) {
        return;
      }
      Double y = number(r.get("y"));
      Double label = number(r.get("label"));
      if (y == null || label == null) {
        return;
      }
      byLabel.add(new double[] {y, label});
    }
    byLabel.sort((p, q) -> p[0] != q[0] ? Double.compare(q[0], p[0]) : Double.compare(p[1], q[1]));
    StringBuilder guess = new StringBuilder();
    for (double[] p : byLabel) {
      if (guess.length() > 0) {
        guess.append('-');
      }
      guess.append((long) p[1]);
    }
    int chance = labels.length == 3 ? 2 : 0; // 1/3! in twelfths
    t.score("heightOrder").add(guess.toString().equals(answer) ? U : 0, chance);
  }

  /** Facing -> {x positive, x negative, z positive, z negative} (SPEC §3.5). */
  private static String[] table(String facing) {
    return switch (facing) {
      case "left" -> new String[] {"Back", "Front", "Right", "Left"};
      case "right" -> new String[] {"Front", "Back", "Left", "Right"};
      case "towards" -> new String[] {"Left", "Right", "Back", "Front"};
      case "away" -> new String[] {"Right", "Left", "Front", "Back"};
      default -> null;
    };
  }

  static void position(BlindAudit.Tally t, String letter, Map<String, ?> meta) {
    t.answers.computeIfAbsent("", k -> new TreeMap<>()).merge(letter, 1L, Long::sum);
    List<?> options = meta.get("options") instanceof List<?> l ? l : null;
    String facing = text(meta.get("facing"), null);
    String[] words = facing == null ? null : table(facing);
    int index = letter.length() == 1 ? letter.charAt(0) - 'A' : -1;
    if (options == null || options.size() != 4 || words == null || index < 0 || index >= 4) {
      return;
    }
    String truth = String.valueOf(options.get(index));
    boolean compound = truth.contains("-");
    // The facing and the kind of options are in the question text: a model that reads only the
    // text can learn the most frequent direction for them.
    t.count("direction", facing + (compound ? "|compound" : "|single"), truth);
    String zWord = null;
    for (String w : truth.split("-", -1)) {
      if (w.equals(words[2]) || w.equals(words[3])) {
        zWord = w;
      }
    }
    String kind = compound ? "compound" : zWord != null ? "zOnly" : "xOnly";
    t.shares.merge(kind, 1L, Long::sum);

    Map<?, ?> camera = meta.get("camera") instanceof Map<?, ?> m ? m : null;
    Map<?, ?> target = meta.get("target") instanceof Map<?, ?> m ? m : null;
    Double thresholdX = number(meta.get("thresholdX"));
    if (camera == null || target == null || thresholdX == null) {
      return;
    }
    Double cx = number(camera.get("x"));
    Double cy = number(camera.get("y"));
    Double tx = number(target.get("x"));
    Double ty = number(target.get("y"));
    if (cx == null || cy == null || tx == null || ty == null) {
      return;
    }
    double dx = tx - cx;
    boolean xPresent = Math.abs(dx) >= thresholdX;
    String xWord = dx > 0 ? words[0] : words[1];
    // Height rule: the target higher in the image (smaller y) is the farther; no guess on a tie.
    String zGuess = ty < cy ? words[2] : ty > cy ? words[3] : null;

    // Depth-blind: Δx decides a single-direction answer when it is over the threshold; otherwise
    // one of two depth words (or, for compound options, two options with the right x word) remain.
    int dxCredit = !compound && xPresent ? (xWord.equals(truth) ? U : 0) : U / 2;
    t.score("dxOnly").add(dxCredit, U / 4);

    boolean depthPresent = compound || !xPresent;
    if (depthPresent && zWord != null) {
      t.score("heightRule").add(zGuess == null ? U / 2 : zGuess.equals(zWord) ? U : 0, U / 2);
    }
    int imageCredit;
    if (!compound && xPresent) {
      imageCredit = xWord.equals(truth) ? U : 0;
    } else if (zGuess == null) {
      imageCredit = compound && !truth.contains(xWord) ? 0 : U / 2;
    } else {
      String guess;
      if (compound) {
        boolean xIsSide = xWord.equals("Left") || xWord.equals("Right");
        guess = xIsSide ? xWord + "-" + zGuess : zGuess + "-" + xWord;
      } else {
        guess = zGuess;
      }
      imageCredit = guess.equals(truth) ? U : 0;
    }
    t.score("imageRule").add(imageCredit, U / 4);
  }

  static Double number(Object o) {
    if (o instanceof Number n) {
      return n.doubleValue();
    }
    return null;
  }

  static String text(Object o, String fallback) {
    return o == null ? fallback : o.toString();
  }
}
