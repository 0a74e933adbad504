#!/usr/bin/env bash
# EXIF extraction: Dailies' reader (kamadak-exif) against exiftool in batch mode (one process
# for all files, -n -j), on the corpus photos (../shared/corpus) or, when it is absent, the
# committed fixtures. Prints files per second and the ratio.
source "$(dirname "$0")/common.sh"
if [ -d "$REPO/../shared/corpus" ]; then
  mapfile -t FILES < <(find "$REPO/../shared/corpus" -type f \( -iname '*.jpg' -o -iname '*.jpeg' -o -iname '*.tif' -o -iname '*.tiff' -o -iname '*.heic' -o -iname '*.png' -o -iname '*.webp' \) | sort)
else
  echo "../shared/corpus is absent: using the committed fixtures"
  mapfile -t FILES < <(find "$REPO/media/tests/fixtures" -maxdepth 1 -type f | sort)
fi
build_bench
# Several passes so the figure is not just process start-up.
PASSES="${PASSES:-5}"
LIST=()
for _ in $(seq 1 "$PASSES"); do LIST+=("${FILES[@]}"); done
ours=$("$BENCH_BIN" exif "${LIST[@]}")
echo "$ours" | sed 's/^/dailies   /'
printf '%s\n' "${LIST[@]}" > "$WORK/exif-list.txt"
start=$(date +%s.%N)
exiftool -q -q -n -j -@ "$WORK/exif-list.txt" > /dev/null || true
end=$(date +%s.%N)
efps=$(python3 -c "print(f'{${#LIST[@]}/($end-$start):.1f}')")
echo "exiftool  files=${#LIST[@]} seconds=$(python3 -c "print(f'{$end-$start:.3f}')") files_per_second=$efps"
echo "ratio dailies/exiftool throughput = $(ratio "$(echo "$ours" | val files_per_second)" "$efps")"
