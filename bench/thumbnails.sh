#!/usr/bin/env bash
# Photo thumbnails: Dailies' renderer (every size an ingest makes: 2048 preview, 1024, 512,
# 256 and the placeholder) against vipsthumbnail (Debian's libvips-tools) making the same four
# sizes, on the same files, using every core. Prints throughput, peak memory and the ratio.
source "$(dirname "$0")/common.sh"
N="${N:-24}"
SET="$WORK/photos"
if [ ! -f "$SET/.done-$N" ]; then
  rm -rf "$SET" && mkdir -p "$SET"
  echo "making $N 24-megapixel JPEGs (6000×4000) …"
  for i in $(seq 1 "$N"); do
    ffmpeg -v error -y -f lavfi -i "mandelbrot=s=6000x4000:start_scale=$((i % 5 + 1))" -frames:v 1 -q:v 2 "$SET/photo-$i.jpg"
  done
  touch "$SET/.done-$N"
fi
build_bench
ours=$("$BENCH_BIN" thumbs "$SET"/*.jpg)
echo "$ours" | sed 's/^/dailies  /'
out="$WORK/vips-out" && rm -rf "$out" && mkdir -p "$out"
start=$(date +%s.%N)
peak=0
for size in 2048 1024 512 256; do
  # one vipsthumbnail per file, as many at once as there are cores
  r=$( { /usr/bin/time -f "%M" bash -c "ls '$SET'/*.jpg | xargs -P $(nproc) -n 4 vipsthumbnail --size ${size}x${size} -o '$out/%s-$size.jpg[Q=85,strip]'" ; } 2>&1 | tail -1)
  [ "$r" -gt "$peak" ] && peak=$r
done
end=$(date +%s.%N)
vsecs=$(python3 -c "print(f'{$end-$start:.3f}')")
vfps=$(python3 -c "print(f'{$N/($end-$start):.2f}')")
echo "vips     files=$N seconds=$vsecs files_per_second=$vfps peak_rss_mib(largest xargs group)=$(python3 -c "print(f'{$peak/1024:.1f}')")"
echo "ratio dailies/vips throughput = $(ratio "$(echo "$ours" | val files_per_second)" "$vfps")"
start=$(date +%s.%N)
ls "$SET"/*.jpg | xargs -P "$(nproc)" -n 4 vipsthumbnail --size 256x256 -o "$out/%s-only256.jpg[Q=85,strip]"
end=$(date +%s.%N)
echo "vips (256 px only, for reference) files_per_second=$(python3 -c "print(f'{$N/($end-$start):.2f}')")"
