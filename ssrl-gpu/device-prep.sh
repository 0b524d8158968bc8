#!/usr/bin/env bash
# Stages what device-check.sh needs on a GPU machine that has no Maven repository and maybe no
# Java: run it HERE (the build machine), then call the device tool with
#   carry: ["ssrl-gpu/target/device"]   command: "ssrl-gpu/device-check.sh"
# It writes ssrl-gpu/target/device/ (ignored by git, about 60 MiB):
#   lib/       the module's jars, its dependencies and test dependencies (JUnit launcher, JMH)
#   classes/, test-classes/   ssrl-gpu's compiled code, tests and JMH benchmark list
#   jre/       a jlink'ed Java runtime (omit with NO_JRE=1 when the device has Java 17+)
#   shared/    the reference cases and RGB-D scenes of ../shared that the tests read
# Never runs `mvn install` (the shared ~/.m2 snapshots belong to everyone).
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
rm -f "$dev"/lib/*-sources.jar "$dev"/lib/*-javadoc.jar "$dev"/lib/*jcuda-natives*-windows* \
  "$dev"/lib/*jcuda-natives*-apple* "$dev"/lib/*jcuda-natives*-linux-ppc*
cp -r ssrl-gpu/target/classes "$dev/classes"
cp -r ssrl-gpu/target/test-classes "$dev/test-classes"

shared=${SSRL_SHARED:-../shared}
cp "$shared/reference/reward-cases.jsonl" "$dev/shared/reference/"
cp -r "$shared/data/rgbd" "$dev/shared/data/"

if [[ "${NO_JRE:-}" != 1 ]]; then
  mods=$(jdeps --ignore-missing-deps --multi-release 17 --print-module-deps \
    --class-path "$dev/lib/*" "$dev"/lib/*.jar "$dev/classes" "$dev/test-classes" 2>/dev/null || true)
  mods="${mods:+$mods,}java.base,java.logging,java.management,jdk.management,jdk.unsupported,java.xml,java.naming,java.sql"
  jlink --add-modules "$mods" --strip-debug --no-header-files --no-man-pages --compress=2 \
    --output "$dev/jre"
fi
du -sh "$dev" "$dev"/*
