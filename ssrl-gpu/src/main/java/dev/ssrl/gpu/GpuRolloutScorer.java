package dev.ssrl.gpu;

import static jcuda.driver.JCudaDriver.cuCtxSynchronize;
import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;
import static jcuda.driver.JCudaDriver.cuModuleUnload;

import java.util.List;
import java.util.Objects;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;

/**
 * Scores batches of rollouts on the GPU with the reference-compatible reward (SPEC §5.1) and
 * computes group-relative advantages (SPEC §5.2). The kernels ({@code src/main/cuda/reward.cu})
 * share their rules with a host build that the tests check against the 3,000 reference cases, so
 * the results equal the CPU verifier's.
 *
 * <p>Each call packs the strings as UTF-8 with offsets, copies them to the device, runs one thread
 * per response (linear time in its length, no recursion, any length) and copies the scores back.
 * Thread-safe: calls on one context are serialised.
 *
 * <p><b>Not recommended:</b> on an NVIDIA H200 it was 8–19× slower than the CPU scorer on 16 cores
 * for 1 KB responses and 160–260× for 16 KB, end to end from Java strings (packing and the copy of
 * every byte dominate; {@link RolloutScorers} gives the figures), so {@link ScorerPreference#AUTO}
 * never picks it. It stays for measurement and for callers that establish a case where it wins;
 * {@link RolloutScorers#create} with {@link ScorerPreference#GPU} checks that a GPU is usable.
 */
public final class GpuRolloutScorer implements RolloutScorer {
  /** The default weight of the format score: the reference's {@code format_weight = 0.1}. */
  public static final double DEFAULT_FORMAT_WEIGHT = 0.1;

  private static final double EPS = 1e-6;
  private static final int BLOCK = 128;

  private final GpuContext context;
  private final CUmodule module;
  private final CUfunction reward;
  private final CUfunction advantages;
  // True when RolloutScorers opened the context for this scorer alone: close() closes it too.
  private final boolean ownsContext;
  private boolean closed;

  /**
   * Loads the reward kernels into {@code context}, which stays owned by the caller (close it after
   * this scorer).
   *
   * @throws IllegalStateException if the PTX does not load (e.g. a driver older than it needs)
   */
  public GpuRolloutScorer(GpuContext context) {
    this(context, false);
  }

  GpuRolloutScorer(GpuContext context, boolean ownsContext) {
    this.context = Objects.requireNonNull(context, "context");
    this.ownsContext = ownsContext;
    try {
      this.module = context.loadModule("reward.ptx");
      this.reward = GpuContext.function(module, "ssrl_reward");
      this.advantages = GpuContext.function(module, "ssrl_advantages");
    } catch (RuntimeException e) {
      throw new IllegalStateException("cannot load the reward kernels: " + e.getMessage(), e);
    }
  }

  /**
   * Scores {@code responses[i]} against {@code truths[i]} for every i.
   *
   * @param responses model outputs; a null response scores as the empty string
   * @param truths ground truths, one per response
   * @param formatWeight the weight of the format score in [0, 1] (reference: 0.1, see {@link
   *     #DEFAULT_FORMAT_WEIGHT}); accuracy gets {@code 1 - formatWeight}
   * @throws IllegalArgumentException if the lists differ in size, a truth is null, the weight is
   *     outside [0, 1], or either list exceeds 2 GiB of UTF-8
   * @throws IllegalStateException if the device fails (the CUDA error is in the message)
   */
  @Override
  public RolloutScores score(List<String> responses, List<String> truths, double formatWeight) {
    checkBatch(responses, truths, formatWeight);
    Utf8Pack r = Utf8Pack.of(responses, true, "responses");
    Utf8Pack t = Utf8Pack.of(truths, false, "ground truths");
    int n = responses.size();
    float[] format = new float[n];
    float[] accuracy = new float[n];
    double[] overall = new double[n];
    if (n == 0) {
      return new RolloutScores(format, accuracy, overall);
    }
    synchronized (context) {
      checkOpen();
      context.makeCurrent();
      try (DeviceBuffers b = new DeviceBuffers()) {
        CUdeviceptr rb = b.upload(r.bytes);
        CUdeviceptr ro = b.upload(r.offsets);
        CUdeviceptr tb = b.upload(t.bytes);
        CUdeviceptr to = b.upload(t.offsets);
        CUdeviceptr fo = b.alloc(4L * n);
        CUdeviceptr ao = b.alloc(4L * n);
        CUdeviceptr oo = b.alloc(8L * n);
        Pointer params =
            Pointer.to(
                Pointer.to(rb),
                Pointer.to(ro),
                Pointer.to(tb),
                Pointer.to(to),
                Pointer.to(new int[] {n}),
                Pointer.to(new double[] {formatWeight}),
                Pointer.to(fo),
                Pointer.to(ao),
                Pointer.to(oo));
        cuLaunchKernel(reward, blocks(n), 1, 1, BLOCK, 1, 1, 0, null, params, null);
        cuCtxSynchronize();
        cuMemcpyDtoH(Pointer.to(format), fo, 4L * n);
        cuMemcpyDtoH(Pointer.to(accuracy), ao, 4L * n);
        cuMemcpyDtoH(Pointer.to(overall), oo, 8L * n);
      } catch (RuntimeException e) {
        throw deviceFailure("reward kernel", e);
      }
    }
    return new RolloutScores(format, accuracy, overall);
  }

  /**
   * Group-relative advantages: group g is {@code rewards[groupOffsets[g], groupOffsets[g+1])}; a
   * group of one (or none) gets 0. Sums run left to right in double without fused multiply-add, so
   * a sequential Java loop in the same order gives the same bits.
   *
   * @param groupOffsets {@code groups + 1} offsets: 0 first, non-decreasing, {@code rewards.length}
   *     last
   * @throws IllegalArgumentException if the offsets are not of that shape or a reward is not finite
   * @throws IllegalStateException if the device fails
   */
  @Override
  public double[] advantages(double[] rewards, int[] groupOffsets, AdvantageMode mode) {
    Objects.requireNonNull(mode, "mode");
    checkGroups(rewards, groupOffsets);
    double[] out = new double[rewards.length];
    int groups = groupOffsets.length - 1;
    if (groups == 0 || rewards.length == 0) {
      return out;
    }
    synchronized (context) {
      checkOpen();
      context.makeCurrent();
      try (DeviceBuffers b = new DeviceBuffers()) {
        CUdeviceptr r = b.upload(rewards);
        CUdeviceptr g = b.upload(groupOffsets);
        CUdeviceptr o = b.alloc(8L * rewards.length);
        Pointer params =
            Pointer.to(
                Pointer.to(r),
                Pointer.to(g),
                Pointer.to(new int[] {groups}),
                Pointer.to(new int[] {mode == AdvantageMode.GRPO ? 0 : 1}),
                Pointer.to(new double[] {EPS}),
                Pointer.to(o));
        cuLaunchKernel(advantages, blocks(groups), 1, 1, BLOCK, 1, 1, 0, null, params, null);
        cuCtxSynchronize();
        DeviceBuffers.download(out, o, 0);
      } catch (RuntimeException e) {
        throw deviceFailure("advantage kernel", e);
      }
    }
    return out;
  }

  @Override
  public boolean onGpu() {
    return true;
  }

  /** The device: {@code "GPU: <device name>"}. */
  @Override
  public String reason() {
    return "GPU: " + context.deviceName();
  }

  /**
   * Unloads the kernels. The context stays open when it was passed to the public constructor (the
   * caller owns it); a scorer from {@link RolloutScorers} closes its own. Idempotent.
   */
  @Override
  public void close() {
    synchronized (context) {
      if (!closed) {
        closed = true;
        context.makeCurrent();
        cuModuleUnload(module);
      }
    }
    if (ownsContext) {
      context.close();
    }
  }

  /** The argument checks shared by the GPU and CPU scorers, so both refuse the same batches. */
  static void checkBatch(List<String> responses, List<String> truths, double formatWeight) {
    Objects.requireNonNull(responses, "responses");
    Objects.requireNonNull(truths, "truths");
    if (responses.size() != truths.size()) {
      throw new IllegalArgumentException(
          responses.size() + " responses but " + truths.size() + " ground truths");
    }
    if (!(formatWeight >= 0 && formatWeight <= 1)) {
      throw new IllegalArgumentException("format weight must be in [0, 1], got " + formatWeight);
    }
    for (int i = 0; i < truths.size(); i++) {
      if (truths.get(i) == null) {
        throw new IllegalArgumentException("ground truths[" + i + "] is null");
      }
    }
  }

  static void checkGroups(double[] rewards, int[] offsets) {
    Objects.requireNonNull(rewards, "rewards");
    Objects.requireNonNull(offsets, "groupOffsets");
    if (offsets.length == 0 || offsets[0] != 0) {
      throw new IllegalArgumentException("group offsets must start with 0");
    }
    for (int g = 1; g < offsets.length; g++) {
      if (offsets[g] < offsets[g - 1]) {
        throw new IllegalArgumentException(
            "group offsets decrease at " + g + ": " + offsets[g - 1] + " > " + offsets[g]);
      }
    }
    if (offsets[offsets.length - 1] != rewards.length) {
      throw new IllegalArgumentException(
          "group offsets end at "
              + offsets[offsets.length - 1]
              + " but there are "
              + rewards.length
              + " rewards");
    }
    for (int i = 0; i < rewards.length; i++) {
      if (!Double.isFinite(rewards[i])) {
        throw new IllegalArgumentException("reward[" + i + "] is " + rewards[i]);
      }
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the scorer is closed");
    }
  }

  private static int blocks(int n) {
    return (n + BLOCK - 1) / BLOCK;
  }

  static IllegalStateException deviceFailure(String what, RuntimeException e) {
    if (e instanceof IllegalStateException ise) {
      return ise;
    }
    return new IllegalStateException(what + " failed on the GPU: " + e.getMessage(), e);
  }
}
