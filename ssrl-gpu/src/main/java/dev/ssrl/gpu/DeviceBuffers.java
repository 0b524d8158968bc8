package dev.ssrl.gpu;

import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;

import java.util.ArrayList;
import java.util.List;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;

/**
 * The device allocations of one call, freed together on close (so that an exception half-way never
 * leaks device memory). The owning context must be current.
 */
final class DeviceBuffers implements AutoCloseable {
  private final List<CUdeviceptr> allocated = new ArrayList<>();

  /** An allocation of {@code bytes} bytes (at least one: CUDA refuses zero-byte allocations). */
  CUdeviceptr alloc(long bytes) {
    CUdeviceptr p = new CUdeviceptr();
    cuMemAlloc(p, Math.max(1, bytes));
    allocated.add(p);
    return p;
  }

  CUdeviceptr upload(byte[] a) {
    CUdeviceptr p = alloc(a.length);
    if (a.length > 0) {
      cuMemcpyHtoD(p, Pointer.to(a), a.length);
    }
    return p;
  }

  CUdeviceptr upload(int[] a) {
    CUdeviceptr p = alloc(4L * a.length);
    if (a.length > 0) {
      cuMemcpyHtoD(p, Pointer.to(a), 4L * a.length);
    }
    return p;
  }

  CUdeviceptr upload(long[] a) {
    CUdeviceptr p = alloc(8L * a.length);
    if (a.length > 0) {
      cuMemcpyHtoD(p, Pointer.to(a), 8L * a.length);
    }
    return p;
  }

  CUdeviceptr upload(double[] a) {
    CUdeviceptr p = alloc(8L * a.length);
    if (a.length > 0) {
      cuMemcpyHtoD(p, Pointer.to(a), 8L * a.length);
    }
    return p;
  }

  /** Copies {@code a} to {@code p + byteOffset}. */
  static void upload(CUdeviceptr p, long byteOffset, float[] a) {
    if (a.length > 0) {
      cuMemcpyHtoD(p.withByteOffset(byteOffset), Pointer.to(a), 4L * a.length);
    }
  }

  static void download(float[] into, CUdeviceptr p, long byteOffset) {
    if (into.length > 0) {
      cuMemcpyDtoH(Pointer.to(into), p.withByteOffset(byteOffset), 4L * into.length);
    }
  }

  static void download(int[] into, CUdeviceptr p, long byteOffset) {
    if (into.length > 0) {
      cuMemcpyDtoH(Pointer.to(into), p.withByteOffset(byteOffset), 4L * into.length);
    }
  }

  static void download(long[] into, CUdeviceptr p, long byteOffset) {
    if (into.length > 0) {
      cuMemcpyDtoH(Pointer.to(into), p.withByteOffset(byteOffset), 8L * into.length);
    }
  }

  static void download(double[] into, CUdeviceptr p, long byteOffset) {
    if (into.length > 0) {
      cuMemcpyDtoH(Pointer.to(into), p.withByteOffset(byteOffset), 8L * into.length);
    }
  }

  @Override
  public void close() {
    // Free everything even if one free fails (a sticky device error): report the first failure.
    RuntimeException first = null;
    for (CUdeviceptr p : allocated) {
      try {
        cuMemFree(p);
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        }
      }
    }
    allocated.clear();
    if (first != null) {
      throw first;
    }
  }
}
