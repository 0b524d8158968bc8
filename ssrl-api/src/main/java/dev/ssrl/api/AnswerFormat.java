package dev.ssrl.api;

/** The shape of a task's canonical answer; verifiers choose their parsing rules from it. */
public enum AnswerFormat {
  /** Labels joined by {@code -} forming a permutation, e.g. {@code 0-2-3-1} or {@code 2-1-3}. */
  PERMUTATION,
  /** One option letter {@code A}–{@code D}. */
  OPTION_LETTER,
  /** A tile label and a direction digit, {@code t-d}, e.g. {@code 3-0}. */
  LABEL_DIRECTION,
  /** Any other text, compared exactly. */
  EXACT
}
