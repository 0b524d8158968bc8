package dev.ssrl.tasks.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LastSceneTest {
  /**
   * Invariant over random call sequences: the value returned is always what the computation gives
   * for the key, and it is computed again exactly when the scene (by identity) or the variant (by
   * equality) differs from this thread's previous call.
   */
  @Test
  void computesOnceForARunOfTheSameKeyAndAgainWhenTheKeyChanges() {
    SplittableRandom r = new SplittableRandom(17);
    LastScene<String> cache = new LastScene<>();
    List<int[]> scenes = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      scenes.add(new int[] {7}); // equal content, distinct identity
    }
    AtomicInteger computed = new AtomicInteger();
    Object lastScene = null;
    Object lastVariant = null;
    int expected = 0;
    for (int step = 0; step < 5000; step++) {
      int[] scene = scenes.get(r.nextInt(scenes.size()));
      Object variant = List.of(r.nextBoolean(), "engine");
      int index = scenes.indexOf(scene);
      String got =
          cache.get(
              scene,
              variant,
              () -> {
                computed.incrementAndGet();
                return index + ":" + variant;
              });
      if (scene != lastScene || !variant.equals(lastVariant)) {
        expected++;
      }
      assertEquals(index + ":" + variant, got, "step " + step);
      assertEquals(expected, computed.get(), "computations at step " + step);
      lastScene = scene;
      lastVariant = variant;
    }
  }

  @Test
  void eachThreadHasItsOwnLastScene() throws Exception {
    LastScene<Object> cache = new LastScene<>();
    Object scene = new Object();
    Object mine = cache.get(scene, 1, Object::new);
    Object[] theirs = new Object[1];
    Thread t = new Thread(() -> theirs[0] = cache.get(scene, 1, Object::new));
    t.start();
    t.join();
    assertSame(mine, cache.get(scene, 1, Object::new));
    assertEquals(false, mine == theirs[0], "another thread computes its own");
  }
}
