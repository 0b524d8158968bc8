// Batched reference-compatible reward and group advantages (SPEC §5.1, §5.2). The rules live in
// reward_core.cuh, shared with the host test harness; this file only maps threads to items.
//
// Layout (all device pointers): item i's response is resp[resp_off[i], resp_off[i+1]) and its
// ground truth truth[truth_off[i], truth_off[i+1]), both UTF-8 without terminators.
#include "reward_core.cuh"

// One thread per response. Responses differ in length, so threads of a warp finish at
// different times; with batches of thousands of items the GPU stays busy regardless, and a
// thread per item keeps each scan a plain sequential loop (no recursion, linear time).
extern "C" __global__ void ssrl_reward(const uint8_t* resp, const int64_t* resp_off,
                                       const uint8_t* truth, const int64_t* truth_off, int n,
                                       double format_weight, float* format, float* accuracy,
                                       double* overall) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n) {
    return;
  }
  ssrl::score_one(resp, resp_off[i], resp_off[i + 1], truth, truth_off[i], truth_off[i + 1],
                  format_weight, &format[i], &accuracy[i], &overall[i]);
}

// One thread per group; group g is rewards[group_off[g], group_off[g+1]). mode 0 = GRPO,
// 1 = Dr. GRPO.
extern "C" __global__ void ssrl_advantages(const double* rewards, const int* group_off,
                                           int groups, int mode, double eps, double* out) {
  int g = blockIdx.x * blockDim.x + threadIdx.x;
  if (g >= groups) {
    return;
  }
  int b = group_off[g];
  ssrl::group_advantages(rewards + b, group_off[g + 1] - b, mode, eps, out + b);
}
