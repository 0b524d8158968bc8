package dev.ssrl.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ssrl.api.Reward;
import dev.ssrl.verify.Verifiers;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The rule that finds a response inside an OpenRLHF {@code query} ({@link QueryResponse}). */
class QueryResponseTest {
  private static final String SUFFIX =
      " You FIRST think about the reasoning process as an internal monologue and then provide the"
          + " final answer. The reasoning process MUST BE enclosed within <think> </think> tags."
          + " The final answer MUST BE put in \\boxed{}.";

  /** An image of the Qwen2-VL family: delimiters around {@code n} pads. */
  private static String qwenImage(String pad, int n) {
    return "<|vision_start|>" + pad.repeat(n) + "<|vision_end|>";
  }

  /**
   * Invariant: for any prompt made of text and images, any pad expansion of each image, with or
   * without the whitespace next to each image, and any response, the response found is exactly the
   * response appended.
   */
  @Test
  void theResponseIsRecoveredUnderAnyPadExpansionAndImageWhitespace() {
    SplittableRandom r = new SplittableRandom(14);
    String[] words = {"Option A:", "Which", " ", "\n", "region", "1-2-3", "\\boxed{}", "<think>"};
    String[] responses = {
      "<think>a</think> \\boxed{D}<|im_end|>",
      "\\boxed{0-1-3-2}",
      "",
      " leading space",
      "<|vision_start|><|image_pad|><|vision_end|> odd",
      "\n\n<think>\n</think>\n\\boxed{Left}"
    };
    for (int trial = 0; trial < 2000; trial++) {
      String pad = r.nextInt(4) == 0 ? "<|video_pad|>" : "<|image_pad|>";
      StringBuilder prompt = new StringBuilder("<|im_start|>system\nYou are helpful.<|im_end|>\n");
      StringBuilder query = new StringBuilder(prompt);
      prompt.append("<|im_start|>user\n");
      query.append("<|im_start|>user\n");
      int parts = 1 + r.nextInt(8);
      boolean strip = r.nextBoolean();
      for (int k = 0; k < parts; k++) {
        if (r.nextInt(3) == 0) {
          String sp = r.nextBoolean() ? " " : "\n";
          prompt.append(sp).append(qwenImage(pad, 1)).append(sp);
          query.append(strip ? "" : sp).append(qwenImage(pad, 1 + r.nextInt(400)));
          query.append(strip ? "" : sp);
        } else {
          String w = words[r.nextInt(words.length)];
          prompt.append(w);
          query.append(w);
        }
      }
      prompt.append(SUFFIX).append("<|im_end|>\n<|im_start|>assistant\n");
      query.append(SUFFIX).append("<|im_end|>\n<|im_start|>assistant\n");
      String response = responses[r.nextInt(responses.length)];
      query.append(response);
      QueryResponse.Found f = QueryResponse.find(query.toString(), prompt.toString());
      assertEquals(QueryResponse.Rule.PROMPT, f.rule(), "trial " + trial);
      assertEquals(response, f.response(), "trial " + trial + ": " + prompt);
    }
  }

  @Test
  void llavaRepeatsItsImageTokenAndTheRunCountsAsOne() {
    String prompt = "USER: <image>\nWhich tile is mirrored?" + SUFFIX + " ASSISTANT:";
    String query =
        "USER: " + "<image>".repeat(576) + "\nWhich tile is mirrored?" + SUFFIX + " ASSISTANT:";
    String response = " <think>t</think> \\boxed{3}";
    assertEquals(response, QueryResponse.response(query + response, prompt));
  }

  @Test
  void internVlAndGemmaImageContextRuns() {
    String internPrompt =
        "<|im_start|>user\n<img><IMG_CONTEXT></img>\nSort the regions.<|im_end|>\n"
            + "<|im_start|>assistant\n";
    String internQuery =
        "<|im_start|>user\n<img>"
            + "<IMG_CONTEXT>".repeat(256)
            + "</img>\nSort the regions.<|im_end|>\n<|im_start|>assistant\n";
    assertEquals(
        "\\boxed{1-2-3}", QueryResponse.response(internQuery + "\\boxed{1-2-3}", internPrompt));

    String gemmaPrompt =
        "<start_of_turn>user\n<start_of_image><image_soft_token><end_of_image>Which?"
            + "<end_of_turn>\n<start_of_turn>model\n";
    String gemmaQuery =
        "<start_of_turn>user\n\n\n<start_of_image>"
            + "<image_soft_token>".repeat(256)
            + "<end_of_image>\n\nWhich?<end_of_turn>\n<start_of_turn>model\n";
    QueryResponse.Found f = QueryResponse.find(gemmaQuery + "\\boxed{B}", gemmaPrompt);
    assertEquals(QueryResponse.Rule.PROMPT, f.rule());
    assertEquals("\\boxed{B}", f.response());
  }

  /** A prompt that does not match (e.g. edited by the client) falls back to the assistant turn. */
  @Test
  void withoutAMatchingPromptTheLastAssistantTurnIsTaken() {
    String[][] templates = {
      {"<|im_start|>user\nQ<|im_end|>\n<|im_start|>assistant\n", "<|im_start|>assistant\n"},
      {
        "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nQ<|eot_id|>"
            + "<|start_header_id|>assistant<|end_header_id|>\n\n",
        "llama3"
      },
      {"<start_of_turn>user\nQ<end_of_turn>\n<start_of_turn>model\n", "gemma"},
      {"<s>[INST] Q [/INST]", "mistral"},
      {"<｜begin▁of▁sentence｜><|User|>Q<|Assistant|>", "deepseek"},
      {"<|user|>\nQ<|end|>\n<|assistant|>\n", "phi3"},
      {"USER: Q ASSISTANT:", "vicuna"}
    };
    String response = "<think>x</think> \\boxed{A}";
    for (String[] t : templates) {
      QueryResponse.Found f = QueryResponse.find(t[0] + response, "a different prompt");
      assertEquals(QueryResponse.Rule.ASSISTANT_MARKER, f.rule(), t[1]);
      assertEquals(response, f.response().strip(), t[1]);
    }
    QueryResponse.Found none = QueryResponse.find(response, null);
    assertEquals(QueryResponse.Rule.WHOLE_QUERY, none.rule());
    assertEquals(response, none.response());
  }

  /**
   * A prompt that itself contains the answer, the think tags and a filled box: none of it may leak
   * into the response's reward, with or without the prompt, with expanded images.
   */
  @Test
  void aPromptContainingTheAnswerTextGivesItNoCredit() {
    String prompt =
        "<|im_start|>user\n<|vision_start|><|image_pad|><|vision_end|>Example: <think>look"
            + "</think> \\boxed{D}. Which option is missing?<|im_end|>\n<|im_start|>assistant\n";
    String query =
        prompt.replace("<|image_pad|>", "<|image_pad|>".repeat(900)) + "I am not sure.<|im_end|>";
    Reward withPrompt = Verifiers.reference().score(QueryResponse.response(query, prompt), "D");
    assertEquals(0.0, withPrompt.overall());
    Reward withoutPrompt = Verifiers.reference().score(QueryResponse.response(query, null), "D");
    assertEquals(0.0, withoutPrompt.overall());
    // The whole query would have scored the prompt's own box.
    assertEquals(0.9, Verifiers.reference().score(query, "D").overall(), 1e-12);
  }

  @Test
  void aQueryThatDivergesFromThePromptDoesNotMatchIt() {
    String prompt = "<|im_start|>user\nSort 1, 2 and 3.<|im_end|>\n<|im_start|>assistant\n";
    assertEquals(-1, QueryResponse.matchPrefix("<|im_start|>user\nSort 1, 2 and 4.", prompt));
    assertEquals(-1, QueryResponse.matchPrefix("short", prompt));
    // Whitespace away from images is significant.
    assertEquals(
        -1,
        QueryResponse.matchPrefix(
            "<|im_start|>user\nSort 1,  2 and 3.<|im_end|>\n<|im_start|>assistant\nx", prompt));
  }
}
