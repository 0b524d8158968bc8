#!/usr/bin/env bash
# Stages what device-check.sh needs on a GPU machine that has no Maven repository and no Java:
# run it HERE (the build machine), then call the device tool with
#   carry: ["ssrl-gpu/target/device"]   command: "ssrl-gpu/device-check.sh"   timeout_s: 540
# It writes ssrl-gpu/target/device/device.tar.xz (ignored by git; the device tool carries at most
# 64 MiB with the tree, checked below), which device-check.sh unpacks outside the checkout:
#   lib/ssrl.jar   the CLI's shaded jar (ssrl-gpu, its JCuda driver library and everything the
#                  tests and `ssrl generate` load), less what neither loads: other platforms'
#                  natives, Parquet and its codecs (no layout is written), Jetty (serve)
#   lib/*.jar      the test-only jars (JUnit launcher, JMH, QuickTheories, ssrl-test-support)
#   test-classes/  ssrl-gpu's compiled tests, stage-timing mains and JMH benchmark list
#   jre/           a jlink'ed Java runtime WITH the system libraries it links against (libjpeg,
#                  liblcms2, libz, libstdc++, libgcc_s: Debian's OpenJDK uses the system's copies,
#                  which is why the earlier staging needed the build machine's libjpeg.so.62 on
#                  the GPU machine); only glibc is taken from the GPU machine. NO_JRE=1 omits it.
#   shared/        the reference cases and the RGB-D scenes of ../shared (tests, generate runs)
# Needs: the Maven wrapper with the project's dependencies in ~/.m2, a JDK 17 with jmods (jlink),
# zip, unzip, strip, ldd. Never runs `mvn install` (the shared ~/.m2 snapshots belong to everyone).
set -euo pipefail
cd "$(dirname "$0")/.."
out=ssrl-gpu/target/device
dev=ssrl-gpu/target/device-stage
rm -rf "$out" "$dev"
mkdir -p "$out"
mkdir -p "$dev/lib" "$dev/shared/reference" "$dev/shared/data/rgbd" "$dev/deps"

# One invocation: ssrl.jar (ssrl-cli's package) and ssrl-gpu's compiled tests; every module's
# dependencies are copied to deps/ and only the test-only jars are kept (the rest is in ssrl.jar).
# No class-data-sharing archive: it belongs to the JDK that wrote it.
./mvnw -B -q -o -pl ssrl-cli -am package dependency:copy-dependencies -DskipTests \
  -Dspotless.check.skip=true -Dmaven.javadoc.skip=true -Dmaven.source.skip=true -Djacoco.skip=true \
  -Dssrl.cds.skip=true -DincludeScope=test -DoutputDirectory="$PWD/$dev/deps" -Dmdep.prependGroupId=true
for pattern in 'org.junit.*' 'org.opentest4j.*' 'org.apiguardian.*' 'org.openjdk.jmh.jmh-core-*' \
  'net.sf.jopt-simple.*' 'org.quicktheories.*' 'dev.ssrl.ssrl-test-support-*'; do
  # shellcheck disable=SC2086
  cp "$dev"/deps/$pattern "$dev/lib/"
done
rm -rf "$dev/deps"
cp ssrl-cli/target/ssrl.jar "$dev/lib/ssrl.jar"
# Natives of other platforms (zstd-jni, snappy, lz4 ship one per platform) never load on the
# linux-x86_64 GPU machine.
zip -q -d "$dev/lib/ssrl.jar" 'aix/*' 'darwin/*' 'freebsd/*' 'win/*' 'linux/aarch64/*' 'linux/arm/*' \
  'linux/i386/*' 'linux/loongarch64/*' 'linux/mips64/*' 'linux/ppc64/*' 'linux/ppc64le/*' \
  'linux/riscv64/*' 'linux/s390x/*' 'org/xerial/snappy/native/Windows/*' \
  'org/xerial/snappy/native/Mac/*' 'org/xerial/snappy/native/AIX/*' 'org/xerial/snappy/native/FreeBSD/*' \
  'org/xerial/snappy/native/SunOS/*' 'org/xerial/snappy/native/Linux/aarch64/*' \
  'org/xerial/snappy/native/Linux/arm*' 'org/xerial/snappy/native/Linux/ppc*' \
  'org/xerial/snappy/native/Linux/s390x/*' 'org/xerial/snappy/native/Linux/riscv64/*' \
  'org/xerial/snappy/native/Linux/loongarch64/*' 'org/xerial/snappy/native/Linux/x86/*' \
  'net/jpountz/util/win32/*' 'net/jpountz/util/darwin/*' 'net/jpountz/util/linux/aarch64/*' \
  'net/jpountz/util/linux/ppc64le/*' 'net/jpountz/util/linux/s390x/*' 'net/jpountz/util/linux/i386/*' \
  'org/eclipse/jetty/*' 'META-INF/services/org.eclipse*' 'shaded/parquet/*' 'org/apache/parquet/*' \
  'org/xerial/snappy/*' 'io/airlift/*' 'linux/amd64/libzstd*' 'com/github/luben/*' \
  >/dev/null 2>&1 || true
cp -r ssrl-gpu/target/test-classes "$dev/test-classes"

# Shared data: the reference cases and the RGB-D scenes (diode-1, megadepth-1, megadepth-2).
shared=${SSRL_SHARED:-../shared}
cp "$shared/reference/reward-cases.jsonl" "$dev/shared/reference/"
cp "$shared"/data/rgbd/* "$dev/shared/data/rgbd/"

if [[ "${NO_JRE:-}" != 1 ]]; then
  home=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.home = //p')
  # java.desktop: ImageIO decodes the scenes' JPEG/PNG; java.management: JMH; java.xml and
  # java.sql: classes of ssrl.jar's libraries that generate loads.
  # --compress=0: xz packs the uncompressed module image better than jlink's zip level.
  jlink --module-path "$home/jmods" \
    --add-modules java.base,java.desktop,java.logging,java.management,java.xml,java.sql,jdk.unsupported \
    --strip-debug --no-header-files --no-man-pages --compress=0 --output "$dev/jre"
  strip --strip-unneeded "$dev/jre/lib/server/libjvm.so" || true
  # Headless runs never load the X11, sound, splash-screen or font libraries; dropping them drops
  # their system dependencies (X11, ALSA, freetype, harfbuzz, glib) from the closure below.
  rm -f "$dev"/jre/lib/libawt_xawt.so "$dev"/jre/lib/libsplashscreen.so "$dev"/jre/lib/libjsound.so \
    "$dev"/jre/lib/libfontmanager.so "$dev"/jre/lib/libjawt.so
  # The runtime's libraries have RPATH $ORIGIN: system libraries copied beside them are found
  # first, on any machine. glibc's own (libc, libm, libdl, libpthread, librt, ld-linux) stay the
  # GPU machine's: they must match its kernel interface, and the JDK needs no newer ones.
  glibc='(libc|libm|libdl|libpthread|librt|libresolv|ld-linux-x86-64)\.so'
  abs="$PWD/$dev"
  for round in 1 2 3; do
    while read -r so; do
      name=$(basename "$so")
      [[ "$name" =~ ^$glibc ]] && continue
      [[ -e "$dev/jre/lib/$name" || -e "$dev/jre/lib/server/$name" ]] && continue
      cp -L "$so" "$dev/jre/lib/$name"
      strip --strip-unneeded "$dev/jre/lib/$name" 2>/dev/null || true
    done < <(find "$dev/jre/bin" "$dev/jre/lib" -type f \( -name '*.so*' -o -perm -u+x \) -print0 \
      | xargs -0 -r env LD_LIBRARY_PATH="$abs/jre/lib:$abs/jre/lib/server" ldd 2>/dev/null \
      | sed -n 's/^[[:space:]]*[^ ]* => \(\/[^ ]*\) .*/\1/p' | grep -v "^$abs/jre/" | sort -u || true)
  done
  # libjvm.so (lib/server) has its own $ORIGIN: give it libstdc++ and libgcc_s there too.
  for lib in libstdc++.so.6 libgcc_s.so.1; do
    [[ -e "$dev/jre/lib/$lib" ]] && ln -sf "../$lib" "$dev/jre/lib/server/$lib"
  done
  echo "system libraries carried in jre/lib: $(cd "$dev/jre/lib" && ls -- *.so.* 2>/dev/null | tr '\n' ' ')"
  # Self-check: the staged runtime decodes a JPEG and a PNG with every non-glibc library taken
  # from the staging (LD_DEBUG=libs names where each one was found).
  probe=$(mktemp -d)
  cat >"$probe/Probe.java" <<'JAVA'
public class Probe {
  public static void main(String[] a) throws Exception {
    for (String f : a) {
      java.awt.image.BufferedImage i = javax.imageio.ImageIO.read(new java.io.File(f));
      System.out.println(f + ": " + i.getWidth() + "x" + i.getHeight());
    }
  }
}
JAVA
  javac -d "$probe" "$probe/Probe.java"
  LD_DEBUG=libs "$abs/jre/bin/java" -Djava.awt.headless=true -cp "$probe" Probe \
    "$dev"/shared/data/rgbd/megadepth-1.jpg "$dev"/shared/data/rgbd/diode-1.png >"$probe/out" 2>"$probe/libs"
  cat "$probe/out"
  outside=$(grep -o 'calling init: [^ ]*' "$probe/libs" | sed 's/calling init: //' \
    | grep -v "^$abs/jre/" | grep -Ev "/$glibc" | sort -u || true)
  rm -rf "$probe"
  if [[ -n "$outside" ]]; then
    echo "device-prep: the staged runtime loaded system libraries from this machine:" >&2
    echo "$outside" >&2
    exit 1
  fi
  echo "staged runtime: only glibc comes from the host"
fi
du -sh "$dev"/* "$dev"/lib/ssrl.jar "$dev"/jre/lib/server "$dev"/jre/lib/modules; du -sh "$dev"
# One archive: the runtime and the scenes shrink under xz (jars hardly do); the device has
# python3 (its tarfile reads xz) where tar -J is missing.
tar -C "$dev" -cf - . | xz -6 -T0 >"$out/device.tar.xz"
rm -rf "$dev"
ls -l "$out/device.tar.xz"
total=$(du -sm "$out" | cut -f1)
if ((total > 58)); then
  echo "device-prep: $out is $total MiB; with the tree (about 3 MiB) the device tool carries at most 64" >&2
  exit 1
fi
