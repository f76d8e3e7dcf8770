#!/bin/sh
# Bounded fuzzing for ctest (fuzz_bounded): builds the libFuzzer targets with clang (the whole
# core instrumented, ASan+UBSan) in <build>/fuzz-bounded and runs each for WM_FUZZ_SECONDS
# (default 20) from the checked-in corpus. Exit 77 (ctest: skipped) without a usable clang.
set -u
src=$1
build=$2
seconds=${WM_FUZZ_SECONDS:-20}
jobs=${WM_FUZZ_JOBS:-2}

if [ "$seconds" = 0 ]; then
  echo "SKIPPED: WM_FUZZ_SECONDS=0"
  exit 77
fi
cxx=$(command -v clang++ || command -v clang++-14 || true)
cc=$(command -v clang || command -v clang-14 || true)
if [ -z "$cxx" ] || [ -z "$cc" ]; then
  echo "SKIPPED: clang is not installed; the corpora are still replayed by fuzz_replay_* (g++)"
  exit 77
fi
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
printf 'extern "C" int LLVMFuzzerTestOneInput(const char*, unsigned long) { return 0; }\n' >"$probe/p.cpp"
if ! "$cxx" -fsanitize=fuzzer "$probe/p.cpp" -o "$probe/p" 2>"$probe/err"; then
  echo "SKIPPED: $cxx cannot link -fsanitize=fuzzer:"
  cat "$probe/err"
  exit 77
fi

start=$(date +%s)
cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_C_COMPILER="$cc" -DWM_PARTS="core;hw" -DWM_FUZZ=ON \
  -DWM_SANITIZE=ON -DCMAKE_CXX_FLAGS=-fsanitize=fuzzer-no-link >"$build.configure.log" 2>&1 || {
  cat "$build.configure.log"
  echo "FAILED: configuring the fuzz build"
  exit 1
}
targets="fuzz_protocol fuzz_config"
[ -d "$src/hw" ] && targets="$targets fuzz_mrz"
cmake --build "$build" --target $targets -j"$jobs" >"$build.build.log" 2>&1 || {
  tail -50 "$build.build.log"
  echo "FAILED: building the fuzzers"
  exit 1
}
echo "fuzz build: $(( $(date +%s) - start )) s"

status=0
for t in $targets; do
  name=${t#fuzz_}
  work="$build/run/$name"
  rm -rf "$work"
  mkdir -p "$work/new" "$work/artifacts"
  # New inputs go to a scratch dir: the checked-in corpus stays as it is.
  if "$build/bin/$t" "$work/new" "$src/tests/fuzz/corpus/$name" \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -artifact_prefix="$work/artifacts/" -print_final_stats=1 >"$work/log" 2>&1; then
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$work/log" | grep -o '[0-9]*$')
    cov=$(grep -o 'cov: [0-9]*' "$work/log" | tail -1)
    echo "$t: ${seconds} s, ${runs:-?} inputs, $cov, no finding"
  else
    status=1
    echo "$t: FINDING (crash, leak, timeout or sanitizer report):"
    tail -40 "$work/log"
    echo "reproducer(s): $(ls "$work/artifacts")  in $work/artifacts"
    echo "fix it, then add the reproducer to tests/fuzz/corpus/$name/ so fuzz_replay_$name keeps it fixed"
  fi
done
exit $status
