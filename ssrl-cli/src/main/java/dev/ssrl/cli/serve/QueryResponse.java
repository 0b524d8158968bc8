package dev.ssrl.cli.serve;

import java.util.List;

/**
 * Finds the model's response inside an OpenRLHF {@code query} (prompt + response as one decoded
 * string), for {@code POST /get_reward}.
 *
 * <p>Why this is needed: OpenRLHF v0.10+ expands each image placeholder of the prompt into the
 * image's pad tokens before decoding the query it posts (one {@code <|image_pad|>} per 28×28 patch
 * for Qwen2.5-VL), while {@code prompts[i]} keeps one placeholder. The query then does not start
 * with the prompt, and scoring the whole chat text fails the format check (it does not start with
 * {@code <think>}) and finds the prompt's own empty {@code \boxed{}}.
 *
 * <p>The rule, first match wins:
 *
 * <ol>
 *   <li><b>Prompt prefix.</b> With a prompt, match it against the start of the query where every
 *       run of one pad token ({@link #PAD_TOKENS}) in either string counts as one, and runs of
 *       whitespace next to a pad run or a vision delimiter ({@link #DELIMITERS}) are ignored
 *       (OpenRLHF v0.11 strips the text around each image). If the whole prompt matches, the
 *       response is the rest of the query, exactly as sent.
 *   <li><b>Last assistant turn.</b> Else the text after the last assistant-turn marker of a known
 *       chat template ({@link #ASSISTANT_MARKERS}): ChatML (Qwen, Qwen2-VL/2.5-VL/3-VL, InternVL,
 *       Yi), Llama 3, Gemma, Mistral/Llama 2 ({@code [/INST]}), DeepSeek, Phi-3/GLM ({@code
 *       <|assistant|>}) and Vicuna/LLaVA-1.5 ({@code ASSISTANT:}).
 *   <li><b>Whole query.</b> Else the query itself (OpenRLHF v0.9 without a chat template, or a
 *       client that sends only the response).
 * </ol>
 *
 * <p>Trailing end-of-turn tokens ({@code <|im_end|>} and the like) are kept: the reference reward
 * allows any text after the box, so they change no reward, and the response stays a substring of
 * what the client sent.
 */
public final class QueryResponse {
  private QueryResponse() {}

  /**
   * Tokens a multimodal processor repeats once per patch or frame (the prompt holds one, the query
   * many): Qwen2-VL/2.5-VL/3-VL image and video pads, LLaVA's repeated {@code <image>}, InternVL's
   * {@code <IMG_CONTEXT>}, Gemma 3's soft image token, Kimi-VL's media pad.
   */
  static final List<String> PAD_TOKENS =
      List.of(
          "<|image_pad|>",
          "<|video_pad|>",
          "<image>",
          "<IMG_CONTEXT>",
          "<image_soft_token>",
          "<|media_pad|>");

  /** Tokens around an image; whitespace next to them may differ between prompt and query. */
  static final List<String> DELIMITERS =
      List.of(
          "<|vision_start|>",
          "<|vision_end|>",
          "<img>",
          "</img>",
          "<start_of_image>",
          "<end_of_image>",
          "<|media_start|>",
          "<|media_end|>");

  /** Markers after which a chat template puts the assistant's reply. */
  static final List<String> ASSISTANT_MARKERS =
      List.of(
          "<|im_start|>assistant\n",
          "<|start_header_id|>assistant<|end_header_id|>\n\n",
          "<start_of_turn>model\n",
          "[/INST]",
          "<|Assistant|>",
          "<|assistant|>",
          "ASSISTANT:");

  /** Which rule found the response (for logs and tests). */
  public enum Rule {
    PROMPT,
    ASSISTANT_MARKER,
    WHOLE_QUERY
  }

  /** The response and the rule that found it. */
  public record Found(String response, Rule rule) {}

  /** The response inside {@code query}; {@code prompt} may be null. */
  static String response(String query, String prompt) {
    return find(query, prompt).response();
  }

  public static Found find(String query, String prompt) {
    if (prompt != null) {
      int end = matchPrefix(query, prompt);
      if (end >= 0) {
        return new Found(query.substring(end), Rule.PROMPT);
      }
    }
    int best = -1;
    for (String m : ASSISTANT_MARKERS) {
      int at = query.lastIndexOf(m);
      if (at >= 0 && at + m.length() > best) {
        best = at + m.length();
      }
    }
    if (best >= 0) {
      return new Found(query.substring(best), Rule.ASSISTANT_MARKER);
    }
    return new Found(query, Rule.WHOLE_QUERY);
  }

  /**
   * The index in {@code query} just after the matched prompt, or -1 when the prompt is not a prefix
   * under the rule of the class comment. Linear in the two lengths.
   */
  static int matchPrefix(String query, String prompt) {
    if (query.startsWith(prompt)) {
      return prompt.length();
    }
    int i = 0;
    int j = 0;
    int qn = query.length();
    int pn = prompt.length();
    // Whether the last thing matched was a pad run or delimiter: whitespace after it is optional.
    boolean afterImage = false;
    while (j < pn) {
      String pad = tokenAt(prompt, j, PAD_TOKENS);
      if (pad != null) {
        i = skipSpaces(query, i);
        if (!query.startsWith(pad, i)) {
          return -1;
        }
        j = skipRun(prompt, j, pad);
        i = skipRun(query, i, pad);
        afterImage = true;
        continue;
      }
      String delim = tokenAt(prompt, j, DELIMITERS);
      if (delim != null) {
        i = skipSpaces(query, i);
        if (!query.startsWith(delim, i)) {
          return -1;
        }
        j += delim.length();
        i += delim.length();
        afterImage = true;
        continue;
      }
      char p = prompt.charAt(j);
      if (Character.isWhitespace(p)) {
        int ws = skipSpaces(prompt, j);
        // Whitespace before an image token or after one may be missing or different in the query.
        boolean beforeImage =
            ws < pn
                && (tokenAt(prompt, ws, PAD_TOKENS) != null
                    || tokenAt(prompt, ws, DELIMITERS) != null);
        if (afterImage || beforeImage) {
          j = ws;
          i = skipSpaces(query, i);
          continue;
        }
      } else if (afterImage && i < qn && Character.isWhitespace(query.charAt(i))) {
        i = skipSpaces(query, i);
      }
      if (i >= qn || query.charAt(i) != p) {
        return -1;
      }
      i++;
      j++;
      afterImage = false;
    }
    return i;
  }

  private static String tokenAt(String s, int at, List<String> tokens) {
    // Every pad token and delimiter starts with '<': one comparison skips ordinary characters.
    if (s.charAt(at) != '<') {
      return null;
    }
    for (String t : tokens) {
      if (s.startsWith(t, at)) {
        return t;
      }
    }
    return null;
  }

  private static int skipRun(String s, int at, String token) {
    while (s.startsWith(token, at)) {
      at += token.length();
    }
    return at;
  }

  private static int skipSpaces(String s, int at) {
    while (at < s.length() && Character.isWhitespace(s.charAt(at))) {
      at++;
    }
    return at;
  }
}
