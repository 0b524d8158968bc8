// Reference-compatible reward (SPEC §5.1) and group advantages (SPEC §5.2), written once for
// both the device (reward.cu) and the host (the test harness in src/test/cuda), so that the
// code the GPU runs is the code the CPU tests check against the 3,000 reference cases.
//
// Nothing here allocates or recurses: every function runs in time linear in its input and in
// constant memory, so a thread can score a response of any length.
//
// Rules (the Python reference, restated on UTF-8 bytes):
//  * whitespace = the code points for which Python's str.isspace() is true (the same set as
//    `\s` in a str regex): \t \n \v \f \r, U+001C..U+001F, space, U+0085, U+00A0, U+1680,
//    U+2000..U+200A, U+2028, U+2029, U+202F, U+205F, U+3000;
//  * normalisation (re.sub(r"\s*(<|>|/)\s*", r"\1", text)) removes a maximal whitespace run
//    exactly when the character just before it or just after it is one of < > / ; otherwise the
//    run stays whole. The normalised text is never materialised: NormIter yields it lazily;
//  * format: the normalised text starts with "<think>", contains "</think>" after that, then
//    "\boxed{" after that, then a "}" after that (re.fullmatch of
//    "<think>.*</think>.*\\boxed\{.*\}.*" with DOTALL; the earliest occurrence of each piece is
//    always the best choice, so one left-to-right pass decides it);
//  * extraction: the last "\boxed{" (normalisation cannot create or destroy one, it contains no
//    whitespace and no delimiter), braces counted from depth 0, the content ends at the first
//    '}' that takes the depth below 0; the content is normalised (its edges are '{' and '}', so
//    normalising the slice equals slicing the normalised text) and stripped of whitespace at
//    both ends. No box, or no closing brace: the literal "None";
//  * accuracy: extracted == ground truth, byte for byte (the ground truth is not normalised);
//  * overall = min(1, (1 - format_weight) * accuracy + format_weight * format), in double, in
//    exactly the reference's expression so that 0.9, 0.1 and 1.0 come out bit-identical to
//    Python's (and to ssrl-verify's SpatialSsrlReward, which clamps the same way);
//  * an empty response scores 0 (the ssrl-api Verifier contract, as in ssrl-verify).
//
// Java strings arrive as generalised UTF-8 (Utf8Pack): a lone surrogate is the 3-byte form of its
// code unit (ED A0 80 for U+D800), which decodes to a code point that is neither whitespace nor a
// delimiter, and compares byte for byte as the UTF-16 unit compares in ssrl-verify. Malformed
// UTF-8 (which Utf8Pack never produces) is read one byte at a time as a non-whitespace,
// non-delimiter character; reads never leave [begin, end).
#ifndef SSRL_REWARD_CORE_CUH
#define SSRL_REWARD_CORE_CUH

#include <stdint.h>

#ifdef __CUDACC__
#define SSRL_HD __host__ __device__ __forceinline__
#else
#include <math.h>
#define SSRL_HD inline
#endif

namespace ssrl {

// A code point that no rule looks at (used for malformed bytes).
#define SSRL_CP_INVALID 0xFFFFFFFFu

// Decodes the character at s[i] (i < end); returns its length in bytes (1..4).
SSRL_HD int utf8_decode(const uint8_t* s, int64_t i, int64_t end, uint32_t* cp) {
  uint32_t b0 = s[i];
  if (b0 < 0x80u) {
    *cp = b0;
    return 1;
  }
  int len;
  uint32_t c;
  if (b0 >= 0xC2u && b0 <= 0xDFu) {
    len = 2;
    c = b0 & 0x1Fu;
  } else if (b0 >= 0xE0u && b0 <= 0xEFu) {
    len = 3;
    c = b0 & 0x0Fu;
  } else if (b0 >= 0xF0u && b0 <= 0xF4u) {
    len = 4;
    c = b0 & 0x07u;
  } else {
    *cp = SSRL_CP_INVALID;
    return 1;
  }
  if (i + len > end) {
    *cp = SSRL_CP_INVALID;
    return 1;
  }
  for (int k = 1; k < len; k++) {
    uint32_t b = s[i + k];
    if ((b & 0xC0u) != 0x80u) {
      *cp = SSRL_CP_INVALID;
      return 1;
    }
    c = (c << 6) | (b & 0x3Fu);
  }
  *cp = c;
  return len;
}

// Python str.isspace().
SSRL_HD bool is_space(uint32_t c) {
  if (c <= 0x20u) {
    return (c >= 0x09u && c <= 0x0Du) || (c >= 0x1Cu && c <= 0x20u);
  }
  if (c < 0x85u) {
    return false;
  }
  return c == 0x85u || c == 0xA0u || c == 0x1680u || (c >= 0x2000u && c <= 0x200Au) ||
         c == 0x2028u || c == 0x2029u || c == 0x202Fu || c == 0x205Fu || c == 0x3000u;
}

SSRL_HD bool is_delim(uint32_t c) { return c == '<' || c == '>' || c == '/'; }

// Lazily yields the normalised characters of s[begin, end).
struct NormIter {
  const uint8_t* s;
  int64_t pos;
  int64_t end;
  int64_t keep_until;  // inside a kept whitespace run: emit up to here without re-deciding
  bool prev_delim;     // the last non-whitespace character seen was < > or /
};

SSRL_HD NormIter norm_iter(const uint8_t* s, int64_t begin, int64_t end) {
  NormIter it;
  it.s = s;
  it.pos = begin;
  it.end = end;
  it.keep_until = begin;
  it.prev_delim = false;
  return it;
}

// Next normalised character: its code point, raw byte offset and byte length. False at the end.
// Each whitespace run is read at most twice (once to find its end, once to emit it if kept).
SSRL_HD bool norm_next(NormIter* it, uint32_t* cp, int64_t* at, int* len) {
  while (it->pos < it->end) {
    uint32_t c;
    int l = utf8_decode(it->s, it->pos, it->end, &c);
    if (it->pos < it->keep_until) {
      *cp = c;
      *at = it->pos;
      *len = l;
      it->pos += l;
      return true;
    }
    if (is_space(c)) {
      int64_t q = it->pos + l;
      uint32_t right = SSRL_CP_INVALID;
      while (q < it->end) {
        uint32_t c2;
        int l2 = utf8_decode(it->s, q, it->end, &c2);
        if (!is_space(c2)) {
          right = c2;
          break;
        }
        q += l2;
      }
      if (it->prev_delim || is_delim(right)) {
        it->pos = q;  // the whole run goes
        continue;
      }
      it->keep_until = q;
      *cp = c;
      *at = it->pos;
      *len = l;
      it->pos += l;
      return true;
    }
    it->prev_delim = is_delim(c);
    *cp = c;
    *at = it->pos;
    *len = l;
    it->pos += l;
    return true;
  }
  return false;
}

// Streaming search for a pattern whose first character occurs nowhere else in it (true of
// "</think>" and "\boxed{"): after a mismatch only the current character can start a match.
SSRL_HD int match_step(const char* pat, int matched, uint32_t c) {
  if (c == (uint32_t)(uint8_t)pat[matched]) {
    return matched + 1;
  }
  return c == (uint32_t)(uint8_t)pat[0] ? 1 : 0;
}

// 1 when the normalised s[begin, end) has the <think>…</think>…\boxed{…}… shape, else 0.
SSRL_HD int format_ok(const uint8_t* s, int64_t begin, int64_t end) {
  const char* open = "<think>";
  const char* close = "</think>";
  const char* box = "\\boxed{";
  NormIter it = norm_iter(s, begin, end);
  uint32_t c;
  int64_t at;
  int len;
  int stage = 0;  // 0: "<think>" prefix, 1: "</think>", 2: "\boxed{", 3: "}"
  int m = 0;
  while (norm_next(&it, &c, &at, &len)) {
    if (stage == 0) {
      if (c != (uint32_t)(uint8_t)open[m]) {
        return 0;
      }
      if (++m == 7) {
        stage = 1;
        m = 0;
      }
    } else if (stage == 1) {
      m = match_step(close, m, c);
      if (m == 8) {
        stage = 2;
        m = 0;
      }
    } else if (stage == 2) {
      m = match_step(box, m, c);
      if (m == 7) {
        stage = 3;
      }
    } else if (c == '}') {
      return 1;
    }
  }
  return 0;
}

// Start of the last "\boxed{" in s[begin, end), or -1.
SSRL_HD int64_t last_box(const uint8_t* s, int64_t begin, int64_t end) {
  const char* box = "\\boxed{";
  for (int64_t i = end - 7; i >= begin; i--) {
    int k = 0;
    while (k < 7 && s[i + k] == (uint8_t)box[k]) {
      k++;
    }
    if (k == 7) {
      return i;
    }
  }
  return -1;
}

// Whether the extracted answer of s[begin, end) equals t[tb, te) byte for byte.
SSRL_HD int accuracy_ok(const uint8_t* s, int64_t begin, int64_t end, const uint8_t* t,
                        int64_t tb, int64_t te) {
  int64_t box = last_box(s, begin, end);
  int64_t close = -1;
  int64_t start = box + 7;
  if (box >= 0) {
    int64_t depth = 0;
    for (int64_t i = start; i < end; i++) {
      if (s[i] == '{') {
        depth++;
      } else if (s[i] == '}') {
        if (--depth < 0) {
          close = i;
          break;
        }
      }
    }
  }
  if (close < 0) {
    const char* none = "None";
    if (te - tb != 4) {
      return 0;
    }
    for (int k = 0; k < 4; k++) {
      if (t[tb + k] != (uint8_t)none[k]) {
        return 0;
      }
    }
    return 1;
  }
  // Compare the normalised, stripped content with the truth. Kept whitespace is held back as a
  // raw byte range until a non-whitespace character follows (else it is trailing: stripped).
  NormIter it = norm_iter(s, start, close);
  uint32_t c;
  int64_t at;
  int len;
  int64_t tp = tb;
  bool seen = false;  // a non-whitespace character was emitted (leading strip is over)
  int64_t pend_b = 0, pend_e = 0;
  while (norm_next(&it, &c, &at, &len)) {
    if (is_space(c)) {
      if (seen) {
        if (pend_e == pend_b) {
          pend_b = at;
        }
        pend_e = at + len;
      }
      continue;
    }
    seen = true;
    for (int64_t i = pend_b; i < pend_e; i++) {
      if (tp >= te || t[tp] != s[i]) {
        return 0;
      }
      tp++;
    }
    pend_b = pend_e = 0;
    for (int k = 0; k < len; k++) {
      if (tp >= te || t[tp] != s[at + k]) {
        return 0;
      }
      tp++;
    }
  }
  return tp == te ? 1 : 0;
}

// The reward of one response: writes format and accuracy (0 or 1) and the overall score.
// An empty response scores 0, 0, 0 whatever the truth: the Verifier contract of ssrl-api, which
// ssrl-verify follows (the reference, which never received an empty response, would extract
// "None" and so match a ground truth "None"). The overall is clamped to 1 as ssrl-verify does, in
// case (1 - w) + w rounds above 1 for some weight.
SSRL_HD void score_one(const uint8_t* s, int64_t begin, int64_t end, const uint8_t* t,
                       int64_t tb, int64_t te, double format_weight, float* format,
                       float* accuracy, double* overall) {
  if (end <= begin) {
    *format = 0.0f;
    *accuracy = 0.0f;
    *overall = 0.0;
    return;
  }
  int f = format_ok(s, begin, end);
  int a = accuracy_ok(s, begin, end, t, tb, te);
  *format = (float)f;
  *accuracy = (float)a;
  *overall = fmin(1.0, (1.0 - format_weight) * (double)a + format_weight * (double)f);
}

// Group-relative advantages of r[0, n) into out[0, n). mode 0: GRPO, (r - mean) / (std + eps)
// with the Bessel-corrected std; mode 1: Dr. GRPO, r - mean. A group of one, or of equal rewards,
// gets exactly 0 (as ssrl-verify's Advantages: a rounded mean of equal rewards can differ from them
// by an ulp, which the divisor std + eps ~ 1e-6 would blow up to ~1e-10). Sums run left to right
// in double, as in Advantages, so the results agree bit for bit (the kernels are compiled without
// FMA contraction).
SSRL_HD void group_advantages(const double* r, int n, int mode, double eps, double* out) {
  bool constant = true;
  for (int i = 1; i < n; i++) {
    if (r[i] != r[0]) {
      constant = false;
      break;
    }
  }
  if (n <= 1 || constant) {
    for (int i = 0; i < n; i++) {
      out[i] = 0.0;
    }
    return;
  }
  double sum = 0.0;
  for (int i = 0; i < n; i++) {
    sum += r[i];
  }
  double mean = sum / (double)n;
  if (mode == 1) {
    for (int i = 0; i < n; i++) {
      out[i] = r[i] - mean;
    }
    return;
  }
  double ss = 0.0;
  for (int i = 0; i < n; i++) {
    double d = r[i] - mean;
    ss += d * d;
  }
  double sd = sqrt(ss / (double)(n - 1));
  for (int i = 0; i < n; i++) {
    out[i] = (r[i] - mean) / (sd + eps);
  }
}

}  // namespace ssrl

#endif  // SSRL_REWARD_CORE_CUH
