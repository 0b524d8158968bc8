package dev.ssrl.depth;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.ssrl.api.DepthMap;
import dev.ssrl.api.Raster;
import dev.ssrl.depth.impl.Resample;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Semaphore;

/**
 * A {@link DepthEstimator} running a Depth Anything V2 style ONNX model with ONNX Runtime.
 *
 * <p><b>The model contract</b> (the Hugging Face ONNX exports of Depth Anything V2 Small, Base and
 * Large; docs/depth-models.md): one float input {@value #INPUT} of shape {@code N × 3 × H × W},
 * each dimension fixed or dynamic; the first output, float, {@code N × H' × W'} or {@code N × 1 ×
 * H' × W'}, relative inverse depth (nearer is larger).
 *
 * <p><b>Preprocessing</b>, as the model's processor does it: RGB scaled to [0, 1], normalised with
 * the ImageNet mean (0.485, 0.456, 0.406) and standard deviation (0.229, 0.224, 0.225); resized
 * with antialiased bicubic filtering. For a model with dynamic height and width, the aspect ratio
 * is kept: both sides scale by whichever of {@code side/H} and {@code side/W} is nearer to 1 (the
 * shorter side becomes {@code side} for any photo larger than that), each rounded to a multiple of
 * 14 (the ViT patch size). A model with a fixed size gets exactly that size (the photo stretched).
 *
 * <p><b>Postprocessing</b>: the output is resized (bilinear, antialiased) to the photo's size;
 * depth is {@code 1 / inverse}. A pixel is invalid (mask 0, value 0) where the inverse depth is not
 * above {@value #FAR_LIMIT} of the photo's largest one: at most {@code 1 / FAR_LIMIT} times farther
 * than the nearest point, which masks sky and other points the model puts at infinity. Any
 * non-finite model output is an error naming the model.
 *
 * <p><b>Threads and memory.</b> ONNX Runtime keeps one environment per JVM ({@link
 * OrtEnvironment#getEnvironment()}); an estimator holds one session, shared by all calling threads
 * (a session's {@code run} is thread-safe). At most {@link Settings#concurrency} inferences run at
 * once, which bounds the native memory of activations (Depth Anything V2 Small at 686 × 518: about
 * 225 MB per inference beside 200 MB for the loaded model, docs/BENCHMARKS.md). Each inference uses
 * one intra-op thread: parallelism comes from the callers' threads, and the bytes of a result do
 * not depend on how many threads ran (ONNX Runtime splits a kernel's work by its intra-op thread
 * count, and floating-point sums in another order can differ in the last bit; one thread per
 * inference fixes that order).
 */
public final class OnnxDepthEstimator implements DepthEstimator {
  /** The input name of the model contract. */
  public static final String INPUT = "pixel_values";

  /** The input side Depth Anything V2 is trained at. */
  public static final int DEFAULT_SIDE = 518;

  /** The ViT patch size the input sides must be a multiple of. */
  public static final int PATCH = 14;

  /** Inverse depth at or below this share of the largest is invalid (farther than 1000x). */
  public static final float FAR_LIMIT = 1e-3f;

  private static final float[] MEAN = {0.485f, 0.456f, 0.406f};
  private static final float[] STD = {0.229f, 0.224f, 0.225f};

  /**
   * How an estimator runs.
   *
   * @param gpu use ONNX Runtime's CUDA execution provider when it is usable (else CPU, with {@link
   *     #providerNote} saying why)
   * @param concurrency the most inferences at once (bounds memory); at least 1
   * @param side the input side for models with dynamic height and width (a multiple of 14)
   * @param batchSize the most photos of one size {@link #estimateAll} runs as one batch, where the
   *     model's batch dimension is dynamic; at least 1
   */
  public record Settings(boolean gpu, int concurrency, int side, int batchSize) {
    public Settings {
      if (concurrency < 1) {
        throw new IllegalArgumentException("depth concurrency must be >= 1, got " + concurrency);
      }
      if (side < PATCH || side % PATCH != 0) {
        throw new IllegalArgumentException(
            "depth input side must be a positive multiple of " + PATCH + ", got " + side);
      }
      if (batchSize < 1) {
        throw new IllegalArgumentException("depth batch size must be >= 1, got " + batchSize);
      }
    }

    /** CPU, {@code concurrency} inferences at once, side 518, batches of up to 4. */
    public static Settings cpu(int concurrency) {
      return new Settings(false, concurrency, DEFAULT_SIDE, 4);
    }

    /** These settings with {@link #gpu} as given. */
    public Settings withGpu(boolean g) {
      return new Settings(g, concurrency, side, batchSize);
    }
  }

  private final Path file;
  private final DepthModel model;
  private final OrtSession session;
  private final String output;
  private final long fixedBatch;
  private final int fixedH;
  private final int fixedW;
  private final Settings settings;
  private final Semaphore permits;
  private final String provider;
  private final String providerNote;

  private OnnxDepthEstimator(
      Path file,
      DepthModel model,
      OrtSession session,
      String output,
      long[] inputShape,
      Settings settings,
      String provider,
      String providerNote) {
    this.file = file;
    this.model = model;
    this.session = session;
    this.output = output;
    this.fixedBatch = inputShape[0];
    this.fixedH = (int) inputShape[2];
    this.fixedW = (int) inputShape[3];
    this.settings = settings;
    this.permits = new Semaphore(settings.concurrency(), true);
    this.provider = provider;
    this.providerNote = providerNote;
  }

  /**
   * Opens a model and checks it against the model contract.
   *
   * @throws DepthModelException naming the file: missing, not an ONNX model, or an input or output
   *     that does not fit the contract
   */
  public static OnnxDepthEstimator open(Path file, Settings settings) {
    Objects.requireNonNull(settings, "settings");
    DepthModel model = DepthModel.of(file);
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    String provider = "CPU";
    String note = null;
    OrtSession session;
    try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
      opts.setIntraOpNumThreads(1);
      opts.setInterOpNumThreads(1);
      opts.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      if (settings.gpu()) {
        if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
          note =
              "--gpu: this ONNX Runtime has no CUDA execution provider (the onnxruntime jar is"
                  + " CPU only; put onnxruntime_gpu in its place, docs/depth-models.md); running"
                  + " the depth model on the CPU";
        } else {
          try {
            opts.addCUDA(0);
            provider = "CUDA";
          } catch (OrtException e) {
            note =
                "--gpu: the CUDA execution provider cannot start ("
                    + e.getMessage()
                    + "); running the depth model on the CPU";
          }
        }
      }
      try {
        session = env.createSession(file.toString(), opts);
      } catch (OrtException e) {
        throw new DepthModelException(
            file, "not a readable ONNX model (" + firstLine(e.getMessage()) + ")", e);
      }
    } catch (OrtException e) {
      throw new DepthModelException(file, "cannot set up ONNX Runtime (" + e.getMessage() + ")", e);
    }
    try {
      long[] shape = checkInput(file, session);
      String output = checkOutput(file, session);
      return new OnnxDepthEstimator(file, model, session, output, shape, settings, provider, note);
    } catch (RuntimeException e) {
      closeQuietly(session);
      throw e;
    } catch (OrtException e) {
      closeQuietly(session);
      throw new DepthModelException(file, "cannot read its inputs (" + e.getMessage() + ")", e);
    }
  }

  private static long[] checkInput(Path file, OrtSession session) throws OrtException {
    Map<String, NodeInfo> inputs = session.getInputInfo();
    if (inputs.size() != 1 || !inputs.containsKey(INPUT)) {
      throw new DepthModelException(
          file,
          "expected one input named '"
              + INPUT
              + "' (a Depth Anything V2 export), found "
              + inputs.keySet());
    }
    if (!(inputs.get(INPUT).getInfo() instanceof TensorInfo t)
        || t.type != OnnxJavaType.FLOAT
        || t.getShape().length != 4) {
      throw new DepthModelException(
          file,
          "input '" + INPUT + "' must be a float tensor N x 3 x H x W, is " + inputs.get(INPUT));
    }
    long[] shape = t.getShape();
    if (shape[1] != 3 && shape[1] != -1) {
      throw new DepthModelException(
          file, "input '" + INPUT + "' has " + shape[1] + " channels; expected 3 (RGB)");
    }
    if ((shape[2] < 0) != (shape[3] < 0) || shape[2] == 0 || shape[3] == 0) {
      throw new DepthModelException(
          file,
          "input '"
              + INPUT
              + "' must have both sides fixed or both dynamic, has "
              + Arrays.toString(shape));
    }
    return shape;
  }

  private static String checkOutput(Path file, OrtSession session) throws OrtException {
    Map<String, NodeInfo> outputs = session.getOutputInfo();
    NodeInfo first = outputs.values().iterator().next();
    if (!(first.getInfo() instanceof TensorInfo t)
        || t.type != OnnxJavaType.FLOAT
        || (t.getShape().length != 3 && t.getShape().length != 4)) {
      throw new DepthModelException(
          file,
          "output '"
              + first.getName()
              + "' must be float N x H x W or N x 1 x H x W (relative inverse depth), is "
              + first);
    }
    return first.getName();
  }

  @Override
  public DepthModel model() {
    return model;
  }

  /** The model file as it was opened. */
  public Path file() {
    return file;
  }

  /** {@code CUDA} or {@code CPU}: where inferences run. */
  public String provider() {
    return provider;
  }

  /** Why the CPU runs a model {@code --gpu} asked to run on CUDA; null when there is no reason. */
  public String providerNote() {
    return providerNote;
  }

  /** The input size of a photo: {@code {width, height}} (see the class comment). */
  public int[] inputSize(int width, int height) {
    if (fixedH > 0) {
      return new int[] {fixedW, fixedH};
    }
    return keepAspect(width, height, settings.side());
  }

  /**
   * Depth Anything's resize with {@code keep_aspect_ratio} and {@code ensure_multiple_of = 14}:
   * both sides scale by the factor nearer to 1, then each side rounds to a multiple of 14.
   */
  static int[] keepAspect(int width, int height, int side) {
    double sh = (double) side / height;
    double sw = (double) side / width;
    double s = Math.abs(1 - sw) < Math.abs(1 - sh) ? sw : sh;
    return new int[] {multiple(s * width), multiple(s * height)};
  }

  private static int multiple(double v) {
    int m = (int) Math.round(v / PATCH) * PATCH;
    return Math.max(PATCH, m);
  }

  @Override
  public DepthMap estimate(Raster rgb) {
    return estimateAll(List.of(rgb)).get(0);
  }

  @Override
  public List<DepthMap> estimateAll(List<Raster> rgbs) {
    DepthMap[] out = new DepthMap[rgbs.size()];
    // Photos of one input size go together, in order, up to the batch size (and 1 for a model
    // whose batch dimension is fixed).
    int max = fixedBatch > 0 ? 1 : settings.batchSize();
    Map<String, List<Integer>> bySize = new LinkedHashMap<>();
    for (int i = 0; i < rgbs.size(); i++) {
      Raster r = rgbs.get(i);
      int[] in = inputSize(r.width(), r.height());
      bySize.computeIfAbsent(in[0] + "x" + in[1], k -> new ArrayList<>()).add(i);
    }
    for (List<Integer> group : bySize.values()) {
      for (int from = 0; from < group.size(); from += max) {
        List<Integer> batch = group.subList(from, Math.min(group.size(), from + max));
        List<Raster> photos = new ArrayList<>();
        batch.forEach(i -> photos.add(rgbs.get(i)));
        List<DepthMap> maps = run(photos);
        for (int k = 0; k < batch.size(); k++) {
          out[batch.get(k)] = maps.get(k);
        }
      }
    }
    return Arrays.asList(out);
  }

  /** One inference over photos of one input size. */
  private List<DepthMap> run(List<Raster> photos) {
    int[] in = inputSize(photos.get(0).width(), photos.get(0).height());
    int iw = in[0];
    int ih = in[1];
    int plane = iw * ih;
    int n = photos.size();
    float[] input = new float[n * 3 * plane];
    for (int b = 0; b < n; b++) {
      preprocess(photos.get(b), iw, ih, input, b * 3 * plane);
    }
    float[] raw;
    long[] shape;
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    permits.acquireUninterruptibly();
    try (OnnxTensor tensor =
            OnnxTensor.createTensor(env, FloatBuffer.wrap(input), new long[] {n, 3, ih, iw});
        OrtSession.Result result = session.run(Map.of(INPUT, tensor))) {
      OnnxValue v = result.get(output).orElseThrow();
      if (!(v instanceof OnnxTensor t)) {
        throw new DepthModelException(file, "output '" + output + "' is not a tensor");
      }
      shape = t.getInfo().getShape();
      FloatBuffer fb = t.getFloatBuffer();
      raw = new float[fb.remaining()];
      fb.get(raw);
    } catch (OrtException e) {
      throw new DepthModelException(
          file, "inference on a " + iw + "x" + ih + " input failed (" + e.getMessage() + ")", e);
    } finally {
      permits.release();
    }
    int rank = shape.length;
    int oh = (int) shape[rank - 2];
    int ow = (int) shape[rank - 1];
    if (shape[0] != n || (rank == 4 && shape[1] != 1) || (long) n * oh * ow != raw.length) {
      throw new DepthModelException(
          file,
          "output '"
              + output
              + "' has shape "
              + Arrays.toString(shape)
              + " for a batch of "
              + n
              + "; expected N x H x W or N x 1 x H x W");
    }
    int bad = 0;
    for (float f : raw) {
      if (!Float.isFinite(f)) {
        bad++;
      }
    }
    if (bad > 0) {
      throw new DepthModelException(
          file,
          "output '"
              + output
              + "' has "
              + bad
              + " non-finite values of "
              + raw.length
              + " (NaN or infinite)");
    }
    List<DepthMap> maps = new ArrayList<>(n);
    for (int b = 0; b < n; b++) {
      float[] inv = Arrays.copyOfRange(raw, b * oh * ow, (b + 1) * oh * ow);
      Raster r = photos.get(b);
      maps.add(toDepth(inv, ow, oh, r.width(), r.height()));
    }
    return maps;
  }

  /** Writes the normalised CHW planes of a photo, resized to {@code iw × ih}, at {@code off}. */
  private static void preprocess(Raster rgb, int iw, int ih, float[] dst, int off) {
    int w = rgb.width();
    int h = rgb.height();
    byte[] px = rgb.data();
    float[] ch = new float[w * h];
    for (int c = 0; c < 3; c++) {
      for (int i = 0; i < ch.length; i++) {
        ch[i] = (px[3 * i + c] & 0xFF) / 255f;
      }
      float[] resized =
          (iw == w && ih == h) ? ch : Resample.resize(ch, w, h, iw, ih, Resample.Filter.BICUBIC);
      int base = off + c * iw * ih;
      for (int i = 0; i < iw * ih; i++) {
        dst[base + i] = (resized[i] - MEAN[c]) / STD[c];
      }
    }
  }

  /** Inverse depth of the model's size to the project's depth of the photo's size. */
  static DepthMap toDepth(float[] inv, int ow, int oh, int w, int h) {
    float[] sized =
        (ow == w && oh == h) ? inv : Resample.resize(inv, ow, oh, w, h, Resample.Filter.BILINEAR);
    float max = 0f;
    for (float f : sized) {
      max = Math.max(max, f);
    }
    float floor = max * FAR_LIMIT;
    float[] depth = new float[sized.length];
    byte[] mask = new byte[sized.length];
    for (int i = 0; i < sized.length; i++) {
      float f = sized[i];
      if (max > 0f && f > floor) {
        depth[i] = 1f / f;
        mask[i] = 1;
      }
    }
    return DepthMap.of(w, h, depth, mask);
  }

  @Override
  public void close() {
    closeQuietly(session);
  }

  private static void closeQuietly(OrtSession s) {
    try {
      s.close();
    } catch (OrtException e) {
      // Closing frees native memory; a failure there leaves nothing for the caller to do.
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "no message";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  @Override
  public String toString() {
    return "OnnxDepthEstimator[" + model + ", " + provider + "]";
  }
}
