package dev.ssrl.tasks.image;

/**
 * Drawing on interleaved RGB buffers: rectangles, discs, and digits from a built-in bitmap font.
 *
 * <p>The font is our own 5×7 pixel grid scaled by an integer factor, not a system font, so that
 * labels and markers are identical bytes on every machine (system font rasterisation differs
 * between JDKs and platforms, which would break SPEC §2's determinism).
 */
public final class Draw {
  private Draw() {}

  public static final int WHITE = 0xFFFFFF;
  public static final int BLACK = 0x000000;
  static final int DARK = 0x202020;

  /** Glyph width and height in font cells. */
  static final int GLYPH_W = 5;

  static final int GLYPH_H = 7;

  // Rows of each digit, 5 bits per row, most significant bit on the left.
  private static final int[][] DIGITS = {
    {0b01110, 0b10001, 0b10011, 0b10101, 0b11001, 0b10001, 0b01110}, // 0
    {0b00100, 0b01100, 0b00100, 0b00100, 0b00100, 0b00100, 0b01110}, // 1
    {0b01110, 0b10001, 0b00001, 0b00010, 0b00100, 0b01000, 0b11111}, // 2
    {0b11111, 0b00010, 0b00100, 0b00010, 0b00001, 0b10001, 0b01110}, // 3
    {0b00010, 0b00110, 0b01010, 0b10010, 0b11111, 0b00010, 0b00010}, // 4
    {0b11111, 0b10000, 0b11110, 0b00001, 0b00001, 0b10001, 0b01110}, // 5
    {0b00110, 0b01000, 0b10000, 0b11110, 0b10001, 0b10001, 0b01110}, // 6
    {0b11111, 0b00001, 0b00010, 0b00100, 0b01000, 0b01000, 0b01000}, // 7
    {0b01110, 0b10001, 0b10001, 0b01110, 0b10001, 0b10001, 0b01110}, // 8
    {0b01110, 0b10001, 0b10001, 0b01111, 0b00001, 0b00010, 0b01100}, // 9
  };

  public static void set(byte[] rgb, int width, int height, int x, int y, int color) {
    if (x < 0 || y < 0 || x >= width || y >= height) {
      return;
    }
    int i = (y * width + x) * 3;
    rgb[i] = (byte) (color >>> 16);
    rgb[i + 1] = (byte) (color >>> 8);
    rgb[i + 2] = (byte) color;
  }

  /** Fills [x0, x1) × [y0, y1), clipped to the buffer. */
  public static void fillRect(
      byte[] rgb, int width, int height, int x0, int y0, int x1, int y1, int color) {
    int xa = Math.max(0, x0);
    int ya = Math.max(0, y0);
    int xb = Math.min(width, x1);
    int yb = Math.min(height, y1);
    for (int y = ya; y < yb; y++) {
      for (int x = xa; x < xb; x++) {
        set(rgb, width, height, x, y, color);
      }
    }
  }

  /** Draws the outline of [x0, x1) × [y0, y1) with the given thickness, inside the rectangle. */
  static void strokeRect(
      byte[] rgb, int width, int height, int x0, int y0, int x1, int y1, int t, int color) {
    fillRect(rgb, width, height, x0, y0, x1, y0 + t, color);
    fillRect(rgb, width, height, x0, y1 - t, x1, y1, color);
    fillRect(rgb, width, height, x0, y0, x0 + t, y1, color);
    fillRect(rgb, width, height, x1 - t, y0, x1, y1, color);
  }

  /** Fills the disc of radius r centred on (cx, cy); pixel centres within r are inside. */
  static void fillDisc(byte[] rgb, int width, int height, int cx, int cy, int r, int color) {
    long r2 = (long) r * r;
    for (int dy = -r; dy <= r; dy++) {
      for (int dx = -r; dx <= r; dx++) {
        if ((long) dx * dx + (long) dy * dy <= r2) {
          set(rgb, width, height, cx + dx, cy + dy, color);
        }
      }
    }
  }

  /** Width in pixels of {@code text} (digits) at the given scale, one cell of spacing between. */
  static int textWidth(String text, int scale) {
    return text.isEmpty() ? 0 : (text.length() * (GLYPH_W + 1) - 1) * scale;
  }

  /** Height in pixels of digits at the given scale. */
  static int textHeight(int scale) {
    return GLYPH_H * scale;
  }

  /**
   * Draws decimal digits with their top-left corner at (x, y), each font cell a {@code scale ×
   * scale} square.
   *
   * @throws IllegalArgumentException if {@code text} holds anything but ASCII digits
   */
  static void digits(
      byte[] rgb, int width, int height, String text, int x, int y, int scale, int color) {
    for (int k = 0; k < text.length(); k++) {
      char c = text.charAt(k);
      if (c < '0' || c > '9') {
        throw new IllegalArgumentException("only digits can be drawn, got '" + c + "'");
      }
      int[] rows = DIGITS[c - '0'];
      int gx = x + k * (GLYPH_W + 1) * scale;
      for (int row = 0; row < GLYPH_H; row++) {
        for (int col = 0; col < GLYPH_W; col++) {
          if ((rows[row] >>> (GLYPH_W - 1 - col) & 1) != 0) {
            fillRect(
                rgb,
                width,
                height,
                gx + col * scale,
                y + row * scale,
                gx + (col + 1) * scale,
                y + (row + 1) * scale,
                color);
          }
        }
      }
    }
  }

  /**
   * Draws digits with an outline: the text in {@code outline} colour shifted by {@code o} pixels in
   * all eight directions, then the text itself on top. Keeps labels legible on any background.
   */
  static void outlinedDigits(
      byte[] rgb,
      int width,
      int height,
      String text,
      int x,
      int y,
      int scale,
      int o,
      int color,
      int outline) {
    for (int dy = -o; dy <= o; dy += o) {
      for (int dx = -o; dx <= o; dx += o) {
        if (dx != 0 || dy != 0) {
          digits(rgb, width, height, text, x + dx, y + dy, scale, outline);
        }
      }
    }
    digits(rgb, width, height, text, x, y, scale, color);
  }

  /**
   * A region marker (SPEC §3): a white disc with a black rim and a black label, centred on (cx,
   * cy), radius {@code r}. The label scale is chosen so that the text fits inside the disc.
   */
  public static void marker(
      byte[] rgb, int width, int height, int cx, int cy, int r, String label) {
    int rim = Math.max(1, r / 8);
    fillDisc(rgb, width, height, cx, cy, r, BLACK);
    fillDisc(rgb, width, height, cx, cy, r - rim, WHITE);
    int inner = r - rim;
    // The text box's diagonal must fit within the inner disc: scale from its half-diagonal.
    int scale = 1;
    while (true) {
      int s = scale + 1;
      double hw = textWidth(label, s) / 2.0;
      double hh = textHeight(s) / 2.0;
      if (Math.sqrt(hw * hw + hh * hh) > inner * 0.85) {
        break;
      }
      scale = s;
    }
    int tx = cx - textWidth(label, scale) / 2;
    int ty = cy - textHeight(scale) / 2;
    digits(rgb, width, height, label, tx, ty, scale, BLACK);
  }
}
