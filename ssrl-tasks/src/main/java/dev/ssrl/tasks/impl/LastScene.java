package dev.ssrl.tasks.impl;

import java.lang.ref.SoftReference;
import java.lang.ref.WeakReference;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Remembers, per thread, the value last computed for one scene, so that a task's per-scene work
 * (depth normalisation, window statistics) runs once for all samples of the scene rather than once
 * per sample (issue 17: 40 depth samples of one scene went from 2.63 s to 1.59 s).
 *
 * <p>The scene part of the key is compared by identity and held weakly (content equality would hash
 * a whole depth map on every call; a weak key never keeps a finished scene alive). The value is
 * held softly, so the collector may drop it under memory pressure, and only the last scene per
 * thread is kept, so what lingers is bounded by the thread count. The other part of the key
 * (options, engine) is compared with {@link Object#equals}. The computation must be a pure function
 * of the key: then a hit and a miss give the same value, and outputs do not depend on threads.
 *
 * @param <V> the cached value
 */
public final class LastScene<V> {
  private record Entry<V>(WeakReference<Object> scene, Object variant, V value) {}

  private final ThreadLocal<SoftReference<Entry<V>>> last = new ThreadLocal<>();

  /**
   * The value for {@code scene} (by identity) and {@code variant} (by equality), computed with
   * {@code compute} unless this thread's last call had the same key.
   */
  public V get(Object scene, Object variant, Supplier<V> compute) {
    Objects.requireNonNull(scene, "scene");
    SoftReference<Entry<V>> ref = last.get();
    Entry<V> e = ref == null ? null : ref.get();
    if (e != null && e.scene().get() == scene && Objects.equals(e.variant(), variant)) {
      return e.value();
    }
    V v = compute.get();
    last.set(new SoftReference<>(new Entry<>(new WeakReference<>(scene), variant, v)));
    return v;
  }
}
