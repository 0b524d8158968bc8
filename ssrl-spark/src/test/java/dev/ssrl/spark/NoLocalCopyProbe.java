package dev.ssrl.spark;

import dev.ssrl.api.Scene;
import dev.ssrl.tasks.scene.SceneLoader;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;

/**
 * Run in a JVM of its own by {@link NonLocalFileSystemTest}, with {@code java.io.tmpdir} set to an
 * empty folder that nothing else uses: loads every scene of an {@link AllFormatScenes} folder
 * through {@code ssrltest:} and through {@code file:}, while watching the temporary folder and the
 * scene folder for any file created (even one deleted again at once), and prints what it saw.
 *
 * <p>Arguments: the scene folder, the temporary folder. Output lines: {@code equal=N}, {@code
 * created=[...]} and {@code tmpdir=[...]} (what is left in it).
 */
public final class NoLocalCopyProbe {
  private NoLocalCopyProbe() {}

  public static void main(String[] args) throws Exception {
    Path scenes = Path.of(args[0]);
    Path tmp = Path.of(args[1]);
    Configuration conf = new Configuration();
    conf.set("fs.ssrltest.impl", TestFileSystem.class.getName());
    List<AllFormatScenes.Files3> files = new ArrayList<>();
    try (Stream<Path> s = Files.list(scenes)) {
      for (Path rgb :
          s.filter(p -> p.getFileName().toString().matches("s\\d\\.(png|jpg)")).sorted().toList()) {
        String stem = rgb.getFileName().toString().substring(0, 2);
        Path depth = null;
        for (String pattern : new String[] {"%s_depth.png", "%s_depth.npy", "%s.h5", "%s.pfm"}) {
          Path d = scenes.resolve(String.format(pattern, stem));
          if (Files.exists(d)) {
            depth = d;
          }
        }
        Path mask = scenes.resolve(stem + "_depth_mask.npy");
        files.add(new AllFormatScenes.Files3(rgb, depth, Files.exists(mask) ? mask : null));
      }
    }
    List<String> created = new ArrayList<>();
    int equal = 0;
    try (WatchService watch = FileSystems.getDefault().newWatchService()) {
      tmp.register(watch, StandardWatchEventKinds.ENTRY_CREATE);
      scenes.register(watch, StandardWatchEventKinds.ENTRY_CREATE);
      for (AllFormatScenes.Files3 f : files) {
        Scene remote = SceneReader.load(entry(f, true), conf, SceneLoader.defaults());
        Scene local = SceneReader.load(entry(f, false), conf, SceneLoader.defaults());
        // A mixed listing: the image remote, its depth and mask on file:.
        Scene mixed =
            SceneReader.load(
                new SceneEntry(
                    local.id(), name(f.rgb(), true), name(f.depth(), false), name(f.mask(), false)),
                conf,
                SceneLoader.defaults());
        if (remote.equals(local)
            && mixed.equals(local)
            && (f.depth() == null) != remote.hasDepth()) {
          equal++;
        }
      }
      // inotify delivers asynchronously; give late events a moment to arrive.
      WatchKey key;
      while ((key = watch.poll(500, TimeUnit.MILLISECONDS)) != null) {
        for (WatchEvent<?> e : key.pollEvents()) {
          created.add(key.watchable() + "/" + e.context());
        }
        key.reset();
      }
    }
    List<String> left;
    try (Stream<Path> s = Files.list(tmp)) {
      left = s.map(Path::toString).toList();
    }
    System.out.println("scenes=" + files.size());
    System.out.println("equal=" + equal);
    System.out.println("created=" + created);
    System.out.println("tmpdir=" + left);
  }

  private static SceneEntry entry(AllFormatScenes.Files3 f, boolean remote) {
    String id = f.rgb().getFileName().toString().substring(0, 2);
    return new SceneEntry(
        id, name(f.rgb(), remote), name(f.depth(), remote), name(f.mask(), remote));
  }

  private static String name(Path p, boolean remote) {
    return p == null ? null : remote ? TestFileSystem.uri(p) : p.toString();
  }
}
