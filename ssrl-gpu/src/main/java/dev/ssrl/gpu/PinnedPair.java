package dev.ssrl.gpu;

import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemAllocHost;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemFreeHost;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;

/**
 * A device buffer and, where asked for, a page-locked host buffer beside it, both kept for reuse
 * and grown (never shrunk) when a larger size is needed: allocating per call cost more than the
 * kernels (issue 28), and only page-locked memory lets copies run asynchronously on a stream. The
 * host side is a direct little-endian {@link ByteBuffer} over the pinned memory (so under 2 GiB).
 * Used by one thread, with its context current; not thread-safe.
 */
final class PinnedPair implements AutoCloseable {
  private final boolean withHost;
  private CUdeviceptr device;
  private long deviceBytes;
  private Pointer host;
  private ByteBuffer hostBuffer;

  PinnedPair(boolean withHost) {
    this.withHost = withHost;
  }

  /** The device buffer, at least {@code bytes} long (contents not kept when it grows). */
  CUdeviceptr device(long bytes) {
    if (device == null || deviceBytes < bytes) {
      freeDevice();
      // Grow by a quarter more than asked, so that slowly growing batches do not reallocate often.
      long size = Math.max(256, bytes + bytes / 4);
      CUdeviceptr p = new CUdeviceptr();
      cuMemAlloc(p, size);
      device = p;
      deviceBytes = size;
    }
    return device;
  }

  /** The pinned host buffer, at least {@code bytes} long, position 0, little-endian. */
  ByteBuffer host(long bytes) {
    if (!withHost) {
      throw new IllegalStateException("this buffer has no host side");
    }
    if (bytes > Integer.MAX_VALUE - 16) {
      throw new IllegalStateException("a pinned host buffer of " + bytes + " bytes is over 2 GiB");
    }
    if (hostBuffer == null || hostBuffer.capacity() < bytes) {
      freeHost();
      long size = Math.min(Integer.MAX_VALUE - 16, Math.max(256, bytes + bytes / 4));
      Pointer p = new Pointer();
      cuMemAllocHost(p, size);
      host = p;
      hostBuffer = p.getByteBuffer(0, size).order(ByteOrder.LITTLE_ENDIAN);
    }
    hostBuffer.clear();
    return hostBuffer;
  }

  /** The pinned host memory as a pointer for copies (after {@link #host}). */
  Pointer hostPointer() {
    return host;
  }

  private void freeDevice() {
    if (device != null) {
      cuMemFree(device);
      device = null;
      deviceBytes = 0;
    }
  }

  private void freeHost() {
    if (host != null) {
      cuMemFreeHost(host);
      host = null;
      hostBuffer = null;
    }
  }

  @Override
  public void close() {
    freeDevice();
    freeHost();
  }
}
