package dev.ssrl.bench.verify;

import dev.ssrl.api.Reward;
import dev.ssrl.verify.SpatialSsrlReward;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Time per score of inputs that make regex- or recursion-based rewards blow up. Linear scoring
 * shows as time growing 4× per 4× size.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AdversarialBenchmark {
  @Param({"65536", "262144", "1048576", "10485760"})
  public int size;

  @Param({
    "openBraces",
    "repeatedThink",
    "spacedClosers",
    "manyBoxes",
    "deepNested",
    "loneSurrogates",
    "mixedScripts"
  })
  public String kind;

  private String response;

  @Setup
  public void setUp() {
    switch (kind) {
      case "openBraces":
        response = "<think>x</think>\\boxed{" + "{".repeat(size);
        break;
      case "repeatedThink":
        // Every '>' is a closing-tag candidate that fails only at the missing '/'.
        response = "<think>".repeat(size / 7) + "\\boxed{A}";
        break;
      case "spacedClosers":
        response = "<think>" + "/ think \t>".repeat(size / 10) + "\\boxed{A}";
        break;
      case "manyBoxes":
        // Boxes never closed except the very first: extraction finds no closing brace late.
        response = "<think></think>\\boxed{}" + "\\boxed{{".repeat(size / 8);
        break;
      case "deepNested":
        // Braces nested size/2 deep that all close: a recursive extractor overflows its stack.
        response = "<think>x</think>\\boxed{" + "{".repeat(size / 2) + "}".repeat(size / 2) + "}";
        break;
      case "loneSurrogates":
        // Unpaired surrogates, NULs and closer-like '>' fill the think block, which never closes:
        // the format check must look through all of it (code units, never code points).
        response = "<think>" + "\udc00\u0000\ud83d>".repeat(size / 4) + "\\boxed{A}";
        break;
      case "mixedScripts":
        // CJK, Cyrillic, Arabic with a bidi mark, emoji, and Python-only whitespace (NBSP, U+3000)
        // around '/' and '>', which normalisation removes; no closing tag, so all is examined.
        response =
            "<think>"
                + "深度 Левый \u200fيمين 😀\u00a0/\u3000think >".repeat(size / 28)
                + "\\boxed{ A }";
        break;
      default:
        throw new IllegalArgumentException("kind " + kind);
    }
  }

  @Benchmark
  public Reward score() {
    return SpatialSsrlReward.standard().score(response, "A");
  }
}
