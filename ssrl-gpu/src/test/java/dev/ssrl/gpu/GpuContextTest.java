package dev.ssrl.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Whether a GPU is usable is a plain answer with a reason, on machines with and without one. */
class GpuContextTest {

  @Test
  void availabilityIsAStableAnswerWithAReasonAndNeverThrows() {
    boolean first = GpuContext.available();
    assertEquals(first, GpuContext.available());
    assertFalse(GpuContext.reason().isBlank());
    assertEquals(GpuContext.reason(), GpuContext.reason());
  }

  @Test
  void aMultiLineNativeLoadingErrorIsSummarisedOnOneLine() {
    String jcuda =
        "Error while loading native library \"JCudaDriver-12.6.0-linux-x86_64\"\n"
            + "Operating system name: Linux\n"
            + "Stack trace from the attempt to load the library as a resource:\n"
            + "java.lang.UnsatisfiedLinkError: /tmp/libJCudaDriver.so: libcuda.so.1: cannot open"
            + " shared object file\n"
            + "\tat java.base/java.lang.ClassLoader.loadLibrary(ClassLoader.java:2434)";
    assertEquals(
        "UnsatisfiedLinkError: Error while loading native library"
            + " \"JCudaDriver-12.6.0-linux-x86_64\" (/tmp/libJCudaDriver.so: libcuda.so.1: cannot"
            + " open shared object file)",
        GpuContext.summarise(new UnsatisfiedLinkError(jcuda)));
    assertFalse(GpuContext.reason().contains("\n"), GpuContext.reason());
  }

  @Test
  void openingWithoutAGpuFailsWithTheReason() {
    Assumptions.assumeFalse(GpuContext.available(), "this machine has a usable GPU");
    IllegalStateException e = assertThrows(IllegalStateException.class, GpuContext::open);
    assertTrue(e.getMessage().contains(GpuContext.reason()), e.getMessage());
  }

  @Test
  void theKernelsAreShippedAsPtxForComputeCapability75() {
    for (String r : new String[] {"reward.ptx", "window_stats.ptx"}) {
      String ptx = new String(GpuContext.readResource(r), java.nio.charset.StandardCharsets.UTF_8);
      assertTrue(ptx.contains(".target sm_75"), r);
      assertTrue(ptx.contains(".version 9.0"), r + ": PTX ISA 9.0 is what docs/gpu.md promises");
    }
  }

  @Test
  void aGpuContextOpensAndNamesItsDevice() {
    Assumptions.assumeTrue(GpuContext.available(), GpuContext::reason);
    try (GpuContext ctx = GpuContext.open()) {
      assertFalse(ctx.deviceName().isBlank());
    }
  }
}
