package dev.ssrl.cli;

import dev.ssrl.api.Reward;
import dev.ssrl.cli.common.Scoring;
import java.util.Map;

/**
 * A test double for the reward library: accuracy 1 when the response contains {@code
 * \boxed{answer}}, format 1 when it contains {@code </think>}; overall 0.9·acc + 0.1·fmt;
 * advantages are reward minus the group mean. It records the last task id it saw.
 */
public final class FakeScoring implements Scoring {
  public volatile String lastTask;

  @Override
  public Reward score(String taskIdOrNull, String response, String answer) {
    lastTask = taskIdOrNull;
    String r = response == null ? "" : response;
    double acc = r.contains("\\boxed{" + answer + "}") ? 1 : 0;
    double fmt = r.contains("</think>") ? 1 : 0;
    return new Reward(0.9 * acc + 0.1 * fmt, fmt, acc, Map.of("length", (double) r.length()));
  }

  @Override
  public double[] advantages(double[] g) {
    double mean = 0;
    for (double v : g) {
      mean += v;
    }
    mean /= g.length;
    double[] a = new double[g.length];
    for (int i = 0; i < g.length; i++) {
      a[i] = g[i] - mean;
    }
    return a;
  }
}
