package dev.ssrl.gpu;

import static jcuda.driver.JCudaDriver.cuCtxCreate;
import static jcuda.driver.JCudaDriver.cuCtxDestroy;
import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDeviceGetAttribute;
import static jcuda.driver.JCudaDriver.cuDeviceGetCount;
import static jcuda.driver.JCudaDriver.cuDeviceGetName;
import static jcuda.driver.JCudaDriver.cuDriverGetVersion;
import static jcuda.driver.JCudaDriver.cuInit;
import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleLoadData;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.JCudaDriver;

/**
 * A CUDA context on device 0, opened through the JCuda driver API, and the check of whether one can
 * be opened at all.
 *
 * <p>The GPU is optional: {@link #available()} answers false, and never throws, when the JCuda
 * native libraries do not load on this platform, the NVIDIA driver is missing or older than the
 * shipped PTX needs (CUDA 13.0, driver ≥ 580), there is no device, the device is older than compute
 * capability 7.5, or the system property {@code ssrl.gpu.disable} is {@code true}; {@link
 * #reason()} says which. Callers then use the CPU implementations. The probe runs once per JVM, on
 * the first call; loading this class loads no native code.
 *
 * <p>A context is used by one thread at a time: the scorer and window-statistics classes
 * synchronise on the context they were given and make it current before each call, so one context
 * can be shared by several of them and by several threads.
 */
public final class GpuContext implements AutoCloseable {
  /** The driver version (CUDA 13.0) whose PTX ISA (9.0) the shipped kernels are written in. */
  static final int MIN_DRIVER_CUDA_VERSION = 13000;

  private final CUcontext context;
  private final String deviceName;
  private boolean closed;

  private GpuContext(CUcontext context, String deviceName) {
    this.context = context;
    this.deviceName = deviceName;
  }

  /** The probe result, computed on first use (lazy holder: no native loading before that). */
  private static final class Probe {
    static final String FAILURE = probe();
    static final String DESCRIPTION = FAILURE == null ? describe() : FAILURE;
  }

  /**
   * Whether a CUDA device can be used. Never throws; the first call loads the JCuda natives and
   * initialises the driver, later calls return the remembered answer.
   */
  public static boolean available() {
    return Probe.FAILURE == null;
  }

  /**
   * Why {@link #available()} is false (e.g. {@code "JCuda natives did not load:
   * UnsatisfiedLinkError: libcuda.so.1 ..."}), or a description of the device when it is true.
   */
  public static String reason() {
    return Probe.DESCRIPTION;
  }

  /**
   * Opens a context on device 0.
   *
   * @throws IllegalStateException if no GPU is {@linkplain #available() available} (with the
   *     reason) or the driver fails to create the context
   */
  public static GpuContext open() {
    if (!available()) {
      throw new IllegalStateException("no usable CUDA GPU: " + reason());
    }
    try {
      CUdevice device = new CUdevice();
      cuDeviceGet(device, 0);
      CUcontext ctx = new CUcontext();
      cuCtxCreate(ctx, 0, device);
      return new GpuContext(ctx, deviceName(device));
    } catch (RuntimeException e) {
      throw new IllegalStateException("cannot create a CUDA context: " + e.getMessage(), e);
    }
  }

  /** The name of the device this context runs on, e.g. {@code "NVIDIA H100 80GB HBM3"}. */
  public String deviceName() {
    return deviceName;
  }

  /** Destroys the context; using it or anything opened on it afterwards is an error. Idempotent. */
  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      cuCtxDestroy(context);
    }
  }

  /** Makes this context current on the calling thread; callers hold this object's monitor. */
  void makeCurrent() {
    if (closed) {
      throw new IllegalStateException("the GPU context is closed");
    }
    cuCtxSetCurrent(context);
  }

  /** Loads a PTX resource of this package (e.g. {@code "reward.ptx"}) into this context. */
  synchronized CUmodule loadModule(String resource) {
    makeCurrent();
    byte[] ptx = readResource(resource);
    // cuModuleLoadData reads PTX as a NUL-terminated string.
    byte[] terminated = Arrays.copyOf(ptx, ptx.length + 1);
    CUmodule module = new CUmodule();
    cuModuleLoadData(module, terminated);
    return module;
  }

  static CUfunction function(CUmodule module, String name) {
    CUfunction f = new CUfunction();
    cuModuleGetFunction(f, module, name);
    return f;
  }

  static byte[] readResource(String resource) {
    try (InputStream in = GpuContext.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(
            "missing resource dev/ssrl/gpu/" + resource + " (run ssrl-gpu/build-ptx.sh)");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read dev/ssrl/gpu/" + resource, e);
    }
  }

  /** Null when a GPU is usable, else the reason it is not. */
  private static String probe() {
    if (Boolean.getBoolean("ssrl.gpu.disable")) {
      return "disabled by the system property ssrl.gpu.disable=true";
    }
    try {
      // The first touch of JCudaDriver loads its JNI library, which links against libcuda: on a
      // machine without the NVIDIA driver this is where it fails (UnsatisfiedLinkError, maybe
      // wrapped in ExceptionInInitializerError). Any Throwable here means "no GPU", by contract.
      JCudaDriver.setExceptionsEnabled(true);
      cuInit(0);
      int[] version = {0};
      cuDriverGetVersion(version);
      if (version[0] < MIN_DRIVER_CUDA_VERSION) {
        return "the NVIDIA driver supports CUDA "
            + cudaVersion(version[0])
            + "; the shipped PTX (ISA 9.0) needs CUDA 13.0 (driver >= 580)";
      }
      int[] count = {0};
      cuDeviceGetCount(count);
      if (count[0] == 0) {
        return "the NVIDIA driver reports no CUDA device";
      }
      CUdevice device = new CUdevice();
      cuDeviceGet(device, 0);
      int[] major = {0};
      int[] minor = {0};
      cuDeviceGetAttribute(
          major, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, device);
      cuDeviceGetAttribute(
          minor, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, device);
      if (major[0] * 10 + minor[0] < 75) {
        return "device 0 ("
            + deviceName(device)
            + ") has compute capability "
            + major[0]
            + "."
            + minor[0]
            + "; the kernels need 7.5 or newer";
      }
      return null;
    } catch (Throwable t) {
      Throwable cause =
          t instanceof ExceptionInInitializerError && t.getCause() != null ? t.getCause() : t;
      return "CUDA is not usable here (JCuda natives or NVIDIA driver): " + summarise(cause);
    }
  }

  /**
   * One line for a failure. JCuda's UnsatisfiedLinkError message spans dozens of lines (platform,
   * nested stack traces); its first line and the last linker error (e.g. "libcuda.so.1: cannot open
   * shared object file") say what matters.
   */
  static String summarise(Throwable t) {
    String message = String.valueOf(t.getMessage());
    String[] lines = message.split("\\R");
    String s = t.getClass().getSimpleName() + ": " + lines[0].trim();
    String prefix = "java.lang.UnsatisfiedLinkError:";
    for (int i = lines.length - 1; i > 0; i--) {
      if (lines[i].startsWith(prefix)) {
        return s + " (" + lines[i].substring(prefix.length()).trim() + ")";
      }
    }
    return s;
  }

  private static String describe() {
    try {
      CUdevice device = new CUdevice();
      cuDeviceGet(device, 0);
      int[] version = {0};
      cuDriverGetVersion(version);
      return "CUDA device 0: " + deviceName(device) + ", driver CUDA " + cudaVersion(version[0]);
    } catch (RuntimeException e) {
      return "CUDA device 0 (not described: " + e.getMessage() + ")";
    }
  }

  private static String deviceName(CUdevice device) {
    byte[] name = new byte[256];
    cuDeviceGetName(name, name.length, device);
    int n = 0;
    while (n < name.length && name[n] != 0) {
      n++;
    }
    return new String(name, 0, n, StandardCharsets.UTF_8);
  }

  private static String cudaVersion(int v) {
    return (v / 1000) + "." + (v % 1000) / 10;
  }
}
