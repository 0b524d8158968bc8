package dev.ssrl.spark;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Prints a TCP port that is free on 127.0.0.1 now: ssrl-spark/scripts/cluster-check.sh gives one to
 * each master, worker and web UI, so that two checks (or other Spark processes) on one machine do
 * not collide on Spark's fixed default ports.
 */
final class FreePort {
  private FreePort() {}

  public static void main(String[] args) throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      System.out.println(s.getLocalPort());
    }
  }
}
