package dev.ssrl.tasks.image;

import java.util.ArrayList;
import java.util.List;

/**
 * Tile grids, tile labels and tile borders shared by the shuffle and flip tasks (SPEC §3).
 *
 * <p>A grid is written {@code CxR}: columns × rows, the same order as an image size {@code W×H}.
 * This is the only reading under which SPEC §3.1's "1×3, 1×4 (horizontal strips), 3×1, 4×1
 * (vertical strips)" holds: {@code 1x3} is one column of three horizontal strips stacked top to
 * bottom, {@code 3x1} three vertical strips side by side.
 *
 * <p>Tiles come from integer division of the image; the leftover right and bottom pixels are
 * dropped. Each tile gets a border {@link #borderWidth} pixels thick in a colour chosen by its
 * label (so the colour says nothing about the answer), and the label in white digits with a dark
 * outline at its top-left corner, sized in proportion to the tile. {@link #labelBox} tells exactly
 * which pixels the label may touch, so that tests and consumers can mask the decorations.
 */
public final class Tiles {
  private Tiles() {}

  /** The largest number of columns or rows a grid may have. */
  static final int MAX_SIDE = 8;

  /** Border colours by label (mod 10): saturated, mutually distinct, none white or black. */
  private static final int[] PALETTE = {
    0xE6194B, 0x3CB44B, 0x4363D8, 0xFFE119, 0xF58231, 0x911EB4, 0x42D4F4, 0xF032E6, 0xBFEF45,
    0x9A6324
  };

  /** A grid of {@code cols × rows} tiles. */
  public record Grid(int cols, int rows) {
    public Grid {
      if (cols < 1 || rows < 1 || cols > MAX_SIDE || rows > MAX_SIDE || cols * rows < 2) {
        throw new IllegalArgumentException(
            "grid must have 1.."
                + MAX_SIDE
                + " columns and rows and at least 2 tiles, got "
                + cols
                + "x"
                + rows);
      }
    }

    /**
     * Parses {@code CxR} (columns × rows), e.g. {@code 2x2}, {@code 1x3}.
     *
     * @throws IllegalArgumentException for anything else
     */
    public static Grid parse(String s) {
      String t = s.trim().toLowerCase(java.util.Locale.ROOT);
      int x = t.indexOf('x');
      if (x <= 0 || x == t.length() - 1) {
        throw new IllegalArgumentException("grid '" + s + "' is not of the form CxR, e.g. 2x2");
      }
      try {
        return new Grid(Integer.parseInt(t.substring(0, x)), Integer.parseInt(t.substring(x + 1)));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("grid '" + s + "' is not of the form CxR, e.g. 2x2");
      }
    }

    public int count() {
      return cols * rows;
    }

    public String name() {
      return cols + "x" + rows;
    }

    /** The position names in raster order, e.g. TopLeft, TopRight, BottomLeft, BottomRight. */
    public List<String> positionNames() {
      List<String> rowNames = axisNames(rows, "Top", "Bottom");
      List<String> colNames = axisNames(cols, "Left", "Right");
      List<String> names = new ArrayList<>(count());
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < cols; c++) {
          if (rows == 1) {
            names.add(colNames.get(c));
          } else if (cols == 1) {
            names.add(rowNames.get(r));
          } else if (rowNames.get(r).equals("Middle") && colNames.get(c).equals("Middle")) {
            names.add("Center");
          } else {
            names.add(rowNames.get(r) + colNames.get(c));
          }
        }
      }
      return names;
    }

    /**
     * Names along one axis: first, Middle (one) or Middle1..MiddleN (several), last. SPEC §4 uses
     * {@code Top-Middle-Bottom} and {@code Top-Middle1-Middle2-Bottom}.
     */
    private static List<String> axisNames(int n, String first, String last) {
      List<String> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        if (i == 0) {
          out.add(first);
        } else if (i == n - 1) {
          out.add(last);
        } else if (n == 3) {
          out.add("Middle");
        } else {
          out.add("Middle" + i);
        }
      }
      return out;
    }
  }

  /** The border thickness for tiles of this size: thin, about 1/150 of the shorter side. */
  public static int borderWidth(int tileW, int tileH) {
    return Math.max(1, (int) Math.round(Math.min(tileW, tileH) / 150.0));
  }

  /** The font scale of a label: digits about a tenth of the shorter tile side tall. */
  static int labelScale(int tileW, int tileH) {
    return Math.max(1, (int) Math.round(Math.min(tileW, tileH) * 0.10 / Draw.GLYPH_H));
  }

  /** The outline width of a label drawn at {@code scale}. */
  static int labelOutline(int scale) {
    return Math.max(1, scale / 3);
  }

  /**
   * The box, relative to the tile's top-left corner, that contains every pixel the label (with its
   * outline) can touch: {@code {x0, y0, x1, y1}}, half-open, clipped to the tile.
   */
  public static int[] labelBox(int label, int tileW, int tileH) {
    int scale = labelScale(tileW, tileH);
    int o = labelOutline(scale);
    int origin = borderWidth(tileW, tileH) + o + scale;
    String text = Integer.toString(label);
    return new int[] {
      origin - o,
      origin - o,
      Math.min(tileW, origin + Draw.textWidth(text, scale) + o),
      Math.min(tileH, origin + Draw.textHeight(scale) + o)
    };
  }

  /**
   * Whether the pixel (px, py), relative to a tile's top-left corner, is covered by that tile's
   * border or label.
   */
  public static boolean isDecoration(int label, int tileW, int tileH, int px, int py) {
    int b = borderWidth(tileW, tileH);
    if (px < b || py < b || px >= tileW - b || py >= tileH - b) {
      return true;
    }
    int[] box = labelBox(label, tileW, tileH);
    return px >= box[0] && py >= box[1] && px < box[2] && py < box[3];
  }

  /** The border colour of a label, as {@code 0xRRGGBB}. */
  static int borderColor(int label) {
    return PALETTE[label % PALETTE.length];
  }

  /** Draws the border and label of the tile whose top-left corner is (x, y). */
  public static void decorate(
      byte[] rgb, int width, int height, int x, int y, int tw, int th, int label) {
    Draw.strokeRect(
        rgb, width, height, x, y, x + tw, y + th, borderWidth(tw, th), borderColor(label));
    int scale = labelScale(tw, th);
    int o = labelOutline(scale);
    int origin = borderWidth(tw, th) + o + scale;
    Draw.outlinedDigits(
        rgb,
        width,
        height,
        Integer.toString(label),
        x + origin,
        y + origin,
        scale,
        o,
        Draw.WHITE,
        Draw.DARK);
  }

  /** The tile rectangles {@code [x, y, w, h]} of a grid in raster order. */
  public static List<List<Integer>> rects(Grid g, int tileW, int tileH) {
    List<List<Integer>> out = new ArrayList<>(g.count());
    for (int r = 0; r < g.rows(); r++) {
      for (int c = 0; c < g.cols(); c++) {
        out.add(List.of(c * tileW, r * tileH, tileW, tileH));
      }
    }
    return out;
  }
}
