package dev.ssrl.tasks.synthetic;

import dev.ssrl.api.DepthMap;
import dev.ssrl.api.Raster;
import dev.ssrl.api.Scene;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Procedural RGB-D scenes with exact metric depth, for tests, demos and the command line's built-in
 * data.
 *
 * <p>Each scene is ray cast through a pinhole camera 1.1–2.2 m above a textured ground plane,
 * pitched up to 14° up or down and rolled up to 25° either way (a tilted horizon). 55% of the
 * scenes are open ground: 3–6 boxes (turned about the vertical axis) and spheres, half of them
 * floating 0.5–5 m above the ground, often (60%) a canopy overhead, and distant buildings; 45% are
 * rooms with walls, a ceiling, furniture, shelves on the walls and hanging lamps. Every scene also
 * has 2–4 near objects (1.5–6 m) placed at the top of the view. Each object has a procedural
 * texture (checker, stripes or value noise in two colours, always with fine noise on top), lit by a
 * sun with cast shadows (walls and ceilings cast none), under a sky gradient with faint clouds.
 * Distant ground fades into the sky.
 *
 * <p>Why this mix: a level camera over bare ground makes image height a proxy for depth ("lower in
 * the image is nearer"), a shortcut the depth and position tasks would then teach (the
 * blind-baseline audit measured it at 85% on the former ground-only scenes, against 17% chance).
 * Tilted cameras, floating and overhanging objects, ceilings and near objects at the top break that
 * proxy, so the default dataset carries the prior far less (docs/baselines.md).
 *
 * <p>Depth is the z-depth along the optical axis in metres (what RGB-D sensors and most datasets
 * store), exact for every pixel the ray hits. Sky and ground beyond {@value #FAR} m are invalid
 * (depth 0), as with a real sensor's range limit; rooms are valid everywhere, open ground keeps
 * about 45–95% of its pixels valid.
 *
 * <p>Everything is a pure function of (seed, index, width, height): integer hashing for noise,
 * {@link StrictMath} for transcendental functions, so the same arguments give identical bytes on
 * every JVM.
 */
public final class SyntheticScenes {
  /** The run seed of {@link #builtIn}. */
  public static final long BUILT_IN_SEED = 0x5541L;

  /** Width of the built-in scenes. */
  public static final int BUILT_IN_WIDTH = 640;

  /** Height of the built-in scenes. */
  public static final int BUILT_IN_HEIGHT = 480;

  /** Depth beyond which the scene is invalid (metres). */
  static final float FAR = 60f;

  private SyntheticScenes() {}

  /**
   * The scene with this index under this seed, with id {@code synthetic-NNNN} (index zero-padded to
   * four digits).
   *
   * @throws IllegalArgumentException if the index is negative or a size is not positive
   */
  public static Scene scene(long seed, int index, int width, int height) {
    if (index < 0) {
      throw new IllegalArgumentException("index must be >= 0, got " + index);
    }
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("size must be positive, got " + width + "x" + height);
    }
    SplittableRandom rng = new SplittableRandom(mix(seed ^ mix(0x9E3779B97F4A7C15L * (index + 1))));
    World w = World.random(rng, width, height);
    byte[] rgb = new byte[width * height * 3];
    float[] depth = new float[width * height];
    w.render(rgb, depth, width, height);
    return new Scene(
        String.format(java.util.Locale.ROOT, "synthetic-%04d", index),
        Raster.of(width, height, rgb),
        DepthMap.of(width, height, depth));
  }

  /**
   * The first {@code count} built-in scenes: {@value #BUILT_IN_WIDTH}×{@value #BUILT_IN_HEIGHT},
   * seed {@link #BUILT_IN_SEED}, indices 0…count−1.
   *
   * @throws IllegalArgumentException if {@code count} is negative
   */
  public static List<Scene> builtIn(int count) {
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0, got " + count);
    }
    List<Scene> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(scene(BUILT_IN_SEED, i, BUILT_IN_WIDTH, BUILT_IN_HEIGHT));
    }
    return List.copyOf(out);
  }

  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** A two-colour procedural texture. */
  private static final class Material {
    final float[] a;
    final float[] b;
    final int pattern; // 0 checker, 1 stripes, 2 noise
    final float freq;
    final float ca;
    final float sa;
    final int salt;

    Material(SplittableRandom rng, int pattern, float freq) {
      this.a = randomColor(rng);
      float[] other = randomColor(rng);
      // Keep the two colours apart so the pattern is visible.
      if (Math.abs(luma(a) - luma(other)) < 0.25f) {
        for (int c = 0; c < 3; c++) {
          other[c] = luma(a) > 0.5f ? other[c] * 0.35f : 0.65f + other[c] * 0.35f;
        }
      }
      this.b = other;
      this.pattern = pattern;
      this.freq = freq;
      double angle = rng.nextDouble(0.15, 1.4);
      this.ca = (float) StrictMath.cos(angle);
      this.sa = (float) StrictMath.sin(angle);
      this.salt = rng.nextInt();
    }

    /** The albedo at texture coordinates (u, v), written to out. */
    void albedo(float u, float v, float contrast, float[] out) {
      float m;
      switch (pattern) {
        case 0:
          m = (((int) Math.floor(u * freq) + (int) Math.floor(v * freq)) & 1) == 0 ? 0f : 1f;
          break;
        case 1:
          {
            float s = (u * ca + v * sa) * freq;
            // Saw-tooth stripes: asymmetric edges so a mirrored patch looks different.
            m = s - (float) Math.floor(s);
            break;
          }
        default:
          m = fbm(u * freq, v * freq, salt);
          m = m * m * (3 - 2 * m);
          break;
      }
      m = 0.5f + (m - 0.5f) * contrast;
      float detail = 0.8f + 0.4f * fbm(u * freq * 6f, v * freq * 6f, salt ^ 0x5bd1e995);
      for (int c = 0; c < 3; c++) {
        out[c] = (a[c] + (b[c] - a[c]) * m) * detail;
      }
    }
  }

  private static float[] randomColor(SplittableRandom rng) {
    // HSV with moderate saturation, converted to RGB.
    double h = rng.nextDouble() * 6;
    double s = rng.nextDouble(0.3, 0.9);
    double v = rng.nextDouble(0.35, 1.0);
    int i = (int) h;
    double f = h - i;
    double p = v * (1 - s);
    double q = v * (1 - s * f);
    double t = v * (1 - s * (1 - f));
    double[] rgb =
        switch (i) {
          case 0 -> new double[] {v, t, p};
          case 1 -> new double[] {q, v, p};
          case 2 -> new double[] {p, v, t};
          case 3 -> new double[] {p, q, v};
          case 4 -> new double[] {t, p, v};
          default -> new double[] {v, p, q};
        };
    return new float[] {(float) rgb[0], (float) rgb[1], (float) rgb[2]};
  }

  private static float luma(float[] c) {
    return 0.299f * c[0] + 0.587f * c[1] + 0.114f * c[2];
  }

  /** Lattice value noise in [0, 1), smoothly interpolated. */
  static float noise(float x, float y, int salt) {
    int ix = (int) Math.floor(x);
    int iy = (int) Math.floor(y);
    float fx = x - ix;
    float fy = y - iy;
    fx = fx * fx * (3 - 2 * fx);
    fy = fy * fy * (3 - 2 * fy);
    float v00 = hash(ix, iy, salt);
    float v10 = hash(ix + 1, iy, salt);
    float v01 = hash(ix, iy + 1, salt);
    float v11 = hash(ix + 1, iy + 1, salt);
    float top = v00 + (v10 - v00) * fx;
    float bottom = v01 + (v11 - v01) * fx;
    return top + (bottom - top) * fy;
  }

  /** Three octaves of value noise, in [0, 1). */
  static float fbm(float x, float y, int salt) {
    return (noise(x, y, salt) * 4
            + noise(x * 2.03f, y * 2.03f, salt + 1) * 2
            + noise(x * 4.01f, y * 4.01f, salt + 2))
        / 7f;
  }

  private static float hash(int x, int y, int salt) {
    int h = x * 0x27d4eb2d ^ y * 0x165667b1 ^ salt * 0x9E3779B9;
    h ^= h >>> 15;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return (h >>> 8) * (1f / 16777216f);
  }

  /** The camera, objects, lights and sky of one scene. */
  private static final class World {
    // Camera at (0, camY, 0): forward f, right r and up u are orthonormal, so a ray f + a·r + b·u
    // reaches z-depth t at ray parameter t.
    float camY;
    float fx;
    float fy;
    float fz;
    float rx;
    float ry;
    float rz;
    float ux;
    float uy;
    float uz;
    float tanX;
    float tanY;
    // Sun direction (towards the sun), unit length.
    float lx;
    float ly;
    float lz;
    float[] skyTop;
    float[] skyHorizon;
    int cloudSalt;
    Material ground;
    final List<Obj> objects = new ArrayList<>();
    // Scratch for shadow rays; a World renders one scene on one thread.
    private final Hit probe = new Hit();

    static World random(SplittableRandom rng, int width, int height) {
      World w = new World();
      // Two settings: open ground (55%) and a room (45%). Both break the ground-plane prior of a
      // level camera over a floor ("lower in the image = nearer") in several ways at once:
      // rolled and up- or down-pitched cameras, objects floating above the ground, overhangs
      // (a canopy, shelves, the ceiling) and near objects placed at the top of the view.
      boolean room = rng.nextDouble() < 0.45;
      w.camY = room ? (float) rng.nextDouble(1.1, 1.8) : (float) rng.nextDouble(1.2, 2.2);
      double pitch = Math.toRadians(rng.nextDouble(-14, 14)); // positive looks down
      double roll = Math.toRadians(rng.nextDouble(-25, 25));
      float sp = (float) StrictMath.sin(pitch);
      float cp = (float) StrictMath.cos(pitch);
      float sr = (float) StrictMath.sin(roll);
      float cr = (float) StrictMath.cos(roll);
      w.fx = 0;
      w.fy = -sp;
      w.fz = cp;
      // Unrolled right (1, 0, 0) and up (0, cp, sp), turned by the roll about f.
      w.rx = cr;
      w.ry = sr * cp;
      w.rz = sr * sp;
      w.ux = -sr;
      w.uy = cr * cp;
      w.uz = cr * sp;
      double fov = Math.toRadians(rng.nextDouble(55, 75));
      w.tanX = (float) StrictMath.tan(fov / 2);
      w.tanY = w.tanX * height / width;
      double elev = Math.toRadians(rng.nextDouble(25, 60));
      double azim = rng.nextDouble(-2.5, 2.5);
      w.lx = (float) (StrictMath.cos(elev) * StrictMath.sin(azim));
      w.ly = (float) StrictMath.sin(elev);
      w.lz = (float) (StrictMath.cos(elev) * -StrictMath.cos(azim));
      w.skyTop =
          new float[] {
            (float) rng.nextDouble(0.15, 0.35),
            (float) rng.nextDouble(0.35, 0.55),
            (float) rng.nextDouble(0.7, 0.95)
          };
      w.skyHorizon =
          new float[] {
            (float) rng.nextDouble(0.7, 0.9),
            (float) rng.nextDouble(0.75, 0.9),
            (float) rng.nextDouble(0.85, 0.98)
          };
      w.cloudSalt = rng.nextInt();
      w.ground = new Material(rng, rng.nextInt(3), (float) rng.nextDouble(0.4, 1.2));
      if (room) {
        w.furnishRoom(rng);
      } else {
        w.furnishGround(rng);
      }
      // Near things at the top of the view (hanging lamps, signs, branches): placed by image
      // position, 1.5-6 m away, so the top of the image is often nearer than its bottom.
      int top = 2 + rng.nextInt(3);
      for (int i = 0; i < top; i++) {
        w.addInView(
            rng,
            rng.nextDouble(-0.8, 0.8),
            rng.nextDouble(0.25, 0.9),
            rng.nextDouble(1.5, 6),
            rng.nextDouble(0.12, 0.3));
      }
      return w;
    }

    /** Open ground: resting, floating and far objects, sometimes a canopy overhead. */
    private void furnishGround(SplittableRandom rng) {
      int n = 3 + rng.nextInt(4);
      for (int i = 0; i < n; i++) {
        double z = rng.nextDouble(3, 28);
        double x = rng.nextDouble(-0.85, 0.85) * z * tanX;
        // Half float 0.5-5 m above the ground (balloons, drones, a raised sign).
        double lift = rng.nextDouble() < 0.5 ? rng.nextDouble(0.5, 5) : 0;
        addResting(rng, x, z, lift, 1);
      }
      if (rng.nextDouble() < 0.6) {
        // A canopy or bridge deck above the camera: its underside fills the top of the image and
        // is nearest where it is highest in the image.
        float h = camY + (float) rng.nextDouble(0.5, 1.6);
        float depthEnd = (float) rng.nextDouble(3, 9);
        float half = (float) rng.nextDouble(3, 8);
        float thick = (float) rng.nextDouble(0.1, 0.35);
        objects.add(
            new Box(
                (float) rng.nextDouble(-1.5, 1.5),
                h + thick,
                depthEnd / 2 - 1,
                half,
                thick,
                depthEnd / 2 + 1,
                (float) rng.nextDouble(-0.3, 0.3),
                new Material(rng, rng.nextInt(3), (float) rng.nextDouble(1, 3)),
                false));
      }
      // Distant buildings facing the camera: real photos have far surfaces that are flat in
      // depth (walls, hills), which the depth task's far band needs; a receding ground alone is
      // too steep there.
      int far = 2 + rng.nextInt(3);
      for (int i = 0; i < far; i++) {
        double z = rng.nextDouble(36, 52);
        double x = rng.nextDouble(-0.9, 0.9) * z * tanX;
        Material m = new Material(rng, rng.nextInt(3), (float) rng.nextDouble(0.8, 3));
        float hx = (float) rng.nextDouble(3, 9);
        float hy = (float) rng.nextDouble(4, 12);
        objects.add(new Box((float) x, hy, (float) z, hx, hy, 1f, 0f, m, true));
      }
    }

    /** A room: floor, walls and ceiling, furniture, shelves and hanging lamps. */
    private void furnishRoom(SplittableRandom rng) {
      float ceiling = camY + (float) rng.nextDouble(0.9, 2.6);
      float back = (float) rng.nextDouble(7, 20);
      float side = (float) rng.nextDouble(3, 8);
      float t = 0.1f;
      Material walls = new Material(rng, rng.nextInt(3), (float) rng.nextDouble(0.5, 2));
      Material top = new Material(rng, rng.nextInt(3), (float) rng.nextDouble(0.5, 2));
      float midZ = back / 2;
      float spanZ = back / 2 + 2;
      // Walls and ceiling cast no shadows: the room is lit as if through a skylight.
      objects.add(new Box(0, ceiling / 2, back + t, side + 1, ceiling / 2 + 1, t, 0, walls, false));
      objects.add(
          new Box(-side - t, ceiling / 2, midZ, t, ceiling / 2 + 1, spanZ, 0, walls, false));
      objects.add(new Box(side + t, ceiling / 2, midZ, t, ceiling / 2 + 1, spanZ, 0, walls, false));
      objects.add(new Box(0, ceiling + t, midZ, side + 1, t, spanZ, 0, top, false));
      int n = 3 + rng.nextInt(4);
      for (int i = 0; i < n; i++) {
        double z = rng.nextDouble(2.5, back - 1);
        double x = rng.nextDouble(-0.8, 0.8) * side;
        addResting(rng, x, z, 0, Math.min(1, (ceiling - 0.3) / 2.6));
      }
      // Shelves and cupboards on the side walls: overhangs at head height.
      int shelves = 1 + rng.nextInt(3);
      for (int i = 0; i < shelves; i++) {
        float hx = (float) rng.nextDouble(0.2, 0.6);
        float sx = rng.nextBoolean() ? side - hx : -side + hx;
        objects.add(
            new Box(
                sx,
                (float) rng.nextDouble(1.2, Math.max(1.3, ceiling - 0.4)),
                (float) rng.nextDouble(2, back - 1),
                hx,
                (float) rng.nextDouble(0.05, 0.4),
                (float) rng.nextDouble(0.5, 2),
                0,
                new Material(rng, rng.nextInt(3), (float) rng.nextDouble(1.5, 5)),
                true));
      }
      // Lamps hanging from the ceiling.
      int lamps = 1 + rng.nextInt(3);
      for (int i = 0; i < lamps; i++) {
        float r = (float) rng.nextDouble(0.15, 0.5);
        objects.add(
            new Sphere(
                (float) (rng.nextDouble(-0.8, 0.8) * side),
                ceiling - r - (float) rng.nextDouble(0.1, 0.8),
                (float) rng.nextDouble(1.5, back - 1),
                r,
                new Material(rng, rng.nextInt(3), (float) rng.nextDouble(1.5, 5)),
                (float) rng.nextDouble(6.3)));
      }
    }

    /** A sphere or a box (turned about the vertical axis) lifted this far above the ground. */
    private void addResting(SplittableRandom rng, double x, double z, double lift, double scale) {
      Material m = new Material(rng, rng.nextInt(3), (float) rng.nextDouble(1.5, 5));
      if (rng.nextBoolean()) {
        float r = (float) (rng.nextDouble(0.4, 1.6) * scale);
        objects.add(
            new Sphere(
                (float) x, (float) (r + lift), (float) z, r, m, (float) rng.nextDouble(6.3)));
      } else {
        float hx = (float) (rng.nextDouble(0.3, 1.6) * scale);
        float hy = (float) (rng.nextDouble(0.3, 2.0) * scale);
        float hz = (float) (rng.nextDouble(0.3, 1.6) * scale);
        objects.add(
            new Box(
                (float) x,
                (float) (hy + lift),
                (float) z,
                hx,
                hy,
                hz,
                (float) rng.nextDouble(-1, 1),
                m,
                true));
      }
    }

    /**
     * An object centred on the ray through image coordinates (a, b) in [-1, 1] (b up) at z-depth z,
     * with a half size of {@code size} times the view's half height there; kept clear of the
     * ground.
     */
    private void addInView(SplittableRandom rng, double a, double b, double z, double size) {
      double dx = fx + a * tanX * rx + b * tanY * ux;
      double dy = fy + a * tanX * ry + b * tanY * uy;
      double dz = fz + a * tanX * rz + b * tanY * uz;
      float h = (float) (size * z * tanY);
      float cx = (float) (z * dx);
      float cy = (float) Math.max(camY + z * dy, h + 0.05);
      float cz = (float) (z * dz);
      Material m = new Material(rng, rng.nextInt(3), (float) rng.nextDouble(1.5, 5));
      if (rng.nextBoolean()) {
        objects.add(new Sphere(cx, cy, cz, h, m, (float) rng.nextDouble(6.3)));
      } else {
        // Boxes facing the camera (a sign, a beam): flat in depth, as the depth task prefers.
        float wide = (float) rng.nextDouble(1, 3);
        objects.add(
            new Box(
                cx,
                cy,
                cz + h * 0.3f,
                h * wide,
                h,
                h * 0.3f,
                (float) rng.nextDouble(-0.4, 0.4),
                m,
                true));
      }
    }

    void render(byte[] rgb, float[] depth, int width, int height) {
      Hit hit = new Hit();
      float[] col = new float[3];
      for (int py = 0; py < height; py++) {
        float b = -((py + 0.5f) / height * 2 - 1) * tanY;
        for (int px = 0; px < width; px++) {
          float a = ((px + 0.5f) / width * 2 - 1) * tanX;
          // d = f + a·r + b·u, so the ray parameter t is the z-depth itself.
          float dx = fx + a * rx + b * ux;
          float dy = fy + a * ry + b * uy;
          float dz = fz + a * rz + b * uz;
          trace(dx, dy, dz, hit);
          int i = py * width + px;
          if (hit.t > 0 && hit.t <= FAR) {
            shade(hit, dx, dy, dz, col);
            depth[i] = hit.t;
          } else {
            sky(dx, dy, dz, col);
            depth[i] = 0f;
          }
          int o = i * 3;
          for (int c = 0; c < 3; c++) {
            int v = (int) (col[c] * 255f + 0.5f);
            rgb[o + c] = (byte) (v < 0 ? 0 : Math.min(v, 255));
          }
        }
      }
    }

    private void trace(float dx, float dy, float dz, Hit hit) {
      hit.t = Float.POSITIVE_INFINITY;
      hit.obj = null;
      if (dy < 0) {
        float t = -camY / dy;
        hit.t = t;
        hit.nx = 0;
        hit.ny = 1;
        hit.nz = 0;
        hit.u = t * dx;
        hit.v = t * dz;
      }
      for (Obj o : objects) {
        o.intersect(0, camY, 0, dx, dy, dz, hit);
      }
      if (hit.t == Float.POSITIVE_INFINITY) {
        hit.t = -1;
      }
    }

    private boolean shadowed(float x, float y, float z) {
      for (Obj o : objects) {
        if (!o.castsShadow()) {
          continue;
        }
        probe.t = Float.POSITIVE_INFINITY;
        o.intersect(x, y, z, lx, ly, lz, probe);
        if (probe.t > 1e-3f && probe.t < Float.POSITIVE_INFINITY) {
          return true;
        }
      }
      return false;
    }

    private void shade(Hit hit, float dx, float dy, float dz, float[] col) {
      float t = hit.t;
      Material m = hit.obj == null ? ground : hit.obj.material();
      // Distant ground loses contrast instead of aliasing into moiré.
      float contrast = hit.obj == null ? Math.max(0f, 1f - t / 30f) : 1f;
      m.albedo(hit.u, hit.v, contrast, col);
      float px = t * dx + hit.nx * 1e-3f;
      float py = camY + t * dy + hit.ny * 1e-3f;
      float pz = t * dz + hit.nz * 1e-3f;
      float ndl = hit.nx * lx + hit.ny * ly + hit.nz * lz;
      float sun = ndl > 0 && !shadowed(px, py, pz) ? ndl : 0f;
      float light = 0.35f + 0.75f * sun;
      float fog = Math.min(1f, Math.max(0f, (t - 15f) / (FAR - 15f)));
      fog *= fog;
      float[] skyCol = skyHorizon;
      for (int c = 0; c < 3; c++) {
        col[c] = col[c] * light * (1 - fog) + skyCol[c] * fog;
      }
    }

    private void sky(float dx, float dy, float dz, float[] col) {
      float len = (float) Math.sqrt(dx * dx + dy * dy + dz * dz);
      float up = Math.max(0f, dy / len);
      float g = (float) Math.sqrt(up);
      float cloud = 0f;
      if (up > 0.01f) {
        // Clouds on a plane high above, projected: denser towards the horizon.
        float k = 1f / (up + 0.15f);
        float c = fbm(dx / len * k * 2.5f, dz / len * k * 2.5f, cloudSalt);
        cloud = Math.max(0f, c - 0.5f) * 1.6f;
      }
      for (int c = 0; c < 3; c++) {
        float base = skyHorizon[c] + (skyTop[c] - skyHorizon[c]) * g;
        col[c] = base + (0.97f - base) * cloud;
      }
    }
  }

  /** The nearest intersection found so far. */
  private static final class Hit {
    float t;
    float nx;
    float ny;
    float nz;
    float u;
    float v;
    Obj obj;
  }

  private interface Obj {
    Material material();

    /** False for walls and ceilings, which would otherwise put a whole room in shade. */
    default boolean castsShadow() {
      return true;
    }

    /** Records the intersection in hit if nearer than hit.t (and positive). */
    void intersect(float ox, float oy, float oz, float dx, float dy, float dz, Hit hit);
  }

  private record Sphere(float cx, float cy, float cz, float r, Material material, float phase)
      implements Obj {
    @Override
    public void intersect(float ox, float oy, float oz, float dx, float dy, float dz, Hit hit) {
      float qx = ox - cx;
      float qy = oy - cy;
      float qz = oz - cz;
      float a = dx * dx + dy * dy + dz * dz;
      float b = qx * dx + qy * dy + qz * dz;
      float c = qx * qx + qy * qy + qz * qz - r * r;
      float disc = b * b - a * c;
      if (disc < 0) {
        return;
      }
      float t = (-b - (float) Math.sqrt(disc)) / a;
      if (t <= 1e-4f || t >= hit.t) {
        return;
      }
      hit.t = t;
      hit.obj = this;
      hit.nx = (qx + t * dx) / r;
      hit.ny = (qy + t * dy) / r;
      hit.nz = (qz + t * dz) / r;
      // Cylindrical mapping in metres around the sphere, turned by a random phase.
      hit.u = (float) (StrictMath.atan2(hit.nz, hit.nx) + phase) * r;
      hit.v = hit.ny * r * 1.6f;
    }
  }

  private static final class Box implements Obj {
    final float cx;
    final float cy;
    final float cz;
    final float hx;
    final float hy;
    final float hz;
    final float cos;
    final float sin;
    final Material material;
    final boolean shadow;

    Box(
        float cx,
        float cy,
        float cz,
        float hx,
        float hy,
        float hz,
        float yaw,
        Material m,
        boolean shadow) {
      this.cx = cx;
      this.cy = cy;
      this.cz = cz;
      this.hx = hx;
      this.hy = hy;
      this.hz = hz;
      this.cos = (float) StrictMath.cos(yaw);
      this.sin = (float) StrictMath.sin(yaw);
      this.material = m;
      this.shadow = shadow;
    }

    @Override
    public Material material() {
      return material;
    }

    @Override
    public boolean castsShadow() {
      return shadow;
    }

    @Override
    public void intersect(float ox, float oy, float oz, float dx, float dy, float dz, Hit hit) {
      // Into the box frame: translate, then turn by -yaw about the vertical axis.
      float qx = ox - cx;
      float qz = oz - cz;
      float lox = cos * qx + sin * qz;
      float loz = -sin * qx + cos * qz;
      float loy = oy - cy;
      float ldx = cos * dx + sin * dz;
      float ldz = -sin * dx + cos * dz;
      // Slab test, one axis at a time; the entering axis gives the face normal.
      float tNear = Float.NEGATIVE_INFINITY;
      float tFar = Float.POSITIVE_INFINITY;
      int axis = -1;
      float sign = 0;
      for (int k = 0; k < 3; k++) {
        float o = k == 0 ? lox : k == 1 ? loy : loz;
        float d = k == 0 ? ldx : k == 1 ? dy : ldz;
        float h = k == 0 ? hx : k == 1 ? hy : hz;
        if (Math.abs(d) < 1e-9f) {
          if (o < -h || o > h) {
            return;
          }
          continue;
        }
        float t1 = (-h - o) / d;
        float t2 = (h - o) / d;
        float s = -1;
        if (t1 > t2) {
          float tmp = t1;
          t1 = t2;
          t2 = tmp;
          s = 1;
        }
        if (t1 > tNear) {
          tNear = t1;
          axis = k;
          sign = s;
        }
        if (t2 < tFar) {
          tFar = t2;
        }
        if (tNear > tFar) {
          return;
        }
      }
      if (tNear <= 1e-4f || tNear >= hit.t || axis < 0) {
        return;
      }
      hit.t = tNear;
      hit.obj = this;
      float px = lox + tNear * ldx;
      float py = loy + tNear * dy;
      float pz = loz + tNear * ldz;
      float nlx = axis == 0 ? sign : 0;
      float nly = axis == 1 ? sign : 0;
      float nlz = axis == 2 ? sign : 0;
      hit.nx = cos * nlx - sin * nlz;
      hit.ny = nly;
      hit.nz = sin * nlx + cos * nlz;
      if (axis == 0) {
        hit.u = pz + hz;
        hit.v = py + hy;
      } else if (axis == 1) {
        hit.u = px + hx;
        hit.v = pz + hz;
      } else {
        hit.u = px + hx;
        hit.v = py + hy;
      }
    }
  }
}
