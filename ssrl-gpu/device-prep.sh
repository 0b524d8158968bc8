#!/usr/bin/env bash
# Stages what device-check.sh needs on a GPU machine that has no Maven repository and maybe no
# Java: run it HERE (the build machine), then call the device tool with
#   carry: ["ssrl-gpu/target/device"]   command: "ssrl-gpu/device-check.sh"
# It writes ssrl-gpu/target/device/ (ignored by git, about 60 MiB):
#   lib/       the module's jars, its dependencies and test dependencies (JUnit launcher, JMH)
#   classes/, test-classes/   ssrl-gpu's compiled code, tests and JMH benchmark list
#   jre/       a jlink'ed Java runtime (omit with NO_JRE=1 when the device has Java 17+)
#   shared/    the reference cases and RGB-D scenes of ../shared that the tests read
# Needs: the Maven wrapper with the project's dependencies in ~/.m2, a JDK 17 with jmods (jlink),
# zip, unzip and strip. Never runs `mvn install` (the shared ~/.m2 snapshots belong to everyone).
set -euo pipefail
cd "$(dirname "$0")/.."
dev=ssrl-gpu/target/device
rm -rf "$dev"
mkdir -p "$dev/lib" "$dev/shared/reference" "$dev/shared/data"

# One invocation: each module is packaged before copy-dependencies runs for the next, so the
# reactor modules are copied as jars. Tests are compiled (JMH's benchmark list too), not run.
./mvnw -B -q -o -pl ssrl-gpu -am package dependency:copy-dependencies -DskipTests \
  -Dspotless.check.skip=true -Dmaven.javadoc.skip=true -Dmaven.source.skip=true -Djacoco.skip=true \
  -DincludeScope=test -DoutputDirectory="$PWD/$dev/lib" -Dmdep.prependGroupId=true
# Keep under the device tool's 64 MiB: drop what no test or benchmark loads (image-processing
# libraries ssrl-tasks declares but these code paths never reach, the JMH annotation processor)
# and keep only the driver-API library of the JCuda natives (no runtime API, NVRTC or nvPTX).
rm -f "$dev"/lib/*-sources.jar "$dev"/lib/*-javadoc.jar "$dev"/lib/org.boofcv.* "$dev"/lib/org.ejml.* \
  "$dev"/lib/org.georegression.* "$dev"/lib/org.ddogleg.* "$dev"/lib/net.sf.trove4j.* \
  "$dev"/lib/net.imglib2.* "$dev"/lib/org.yaml.* "$dev"/lib/*jmh-generator-annprocess*
natives=$(ls "$dev"/lib/*jcuda-natives*linux-x86_64.jar)
tmp=$(mktemp -d)
(cd "$tmp" && unzip -q "$OLDPWD/$natives" && rm -f lib/libJNvPTXCompiler* lib/libJNvrtc* lib/libJCudaRuntime* \
  && zip -q -r natives.jar . -x natives.jar)
mv "$tmp/natives.jar" "$natives"
rm -rf "$tmp"
cp -r ssrl-gpu/target/classes "$dev/classes"
cp -r ssrl-gpu/target/test-classes "$dev/test-classes"

# Shared data: the reference cases and one real RGB-D scene (megadepth-1, 1600x1064); tests
# that need the others skip with the reason.
shared=${SSRL_SHARED:-../shared}
cp "$shared/reference/reward-cases.jsonl" "$dev/shared/reference/"
mkdir -p "$dev/shared/data/rgbd"
cp "$shared"/data/rgbd/megadepth-1.* "$dev/shared/data/rgbd/"

if [[ "${NO_JRE:-}" != 1 ]]; then
  home=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.home = //p')
  # java.desktop: ImageIO decodes the scenes' JPEG/PNG; java.management: JMH.
  jlink --module-path "$home/jmods" \
    --add-modules java.base,java.desktop,java.logging,java.management,jdk.unsupported \
    --strip-debug --no-header-files --no-man-pages --compress=2 --output "$dev/jre"
  strip --strip-unneeded "$dev/jre/lib/server/libjvm.so" || true
fi
du -sh "$dev" "$dev"/*
