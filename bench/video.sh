#!/usr/bin/env bash
# A 10-minute 1080p25 clip end to end: probe, poster, filmstrip, proxy and waveform through
# Dailies' media engine, against the same ffmpeg commands run bare from the shell. The
# difference is the engine's overhead (process wrapper, progress parsing, PCM peaks in Rust).
source "$(dirname "$0")/common.sh"
SECS="${SECS:-600}"
CLIP="$WORK/clip-${SECS}s-1080p.mp4"
if [ ! -f "$CLIP" ]; then
  echo "making a ${SECS}s 1080p25 H.264/AAC clip …"
  ffmpeg -v error -y -f lavfi -i "testsrc2=s=1920x1080:r=25:d=$SECS" -f lavfi -i "sine=frequency=440:sample_rate=48000:duration=$SECS" \
    -c:v libx264 -preset ultrafast -g 50 -pix_fmt yuv420p -c:a aac -shortest "$CLIP"
fi
build_bench
echo "clip: $CLIP ($(du -h "$CLIP" | cut -f1))"
ours=$("$BENCH_BIN" video "$CLIP")
echo "$ours" | sed 's/^/dailies  /'
T="$WORK/bare" && rm -rf "$T" && mkdir -p "$T"
t() { local s; s=$(date +%s.%N); "$@" > /dev/null; python3 -c "import sys; print(f'{$(date +%s.%N)-$s:.3f}')"; }
B="-hide_banner -nostdin -y -loglevel error"
CHAIN="scale=trunc(iw*sar/2)*2:ih,setsar=1"
echo "bare     probe_seconds=$(t ffprobe -v error -print_format json -show_format -show_streams "$CLIP")"
echo "bare     poster_seconds=$(t ffmpeg $B -ss 1.000 -i "$CLIP" -map 0:v:0 -frames:v 1 -vf "$CHAIN,scale=w='min(2048,iw)':h='min(2048,ih)':force_original_aspect_ratio=decrease,format=yuvj420p" -q:v 2 "$T/poster.jpg")"
echo "bare     filmstrip_seconds=$(t ffmpeg $B -skip_frame nokey -i "$CLIP" -map 0:v:0 -an -vf "$CHAIN,fps=1/6.000000:round=down,scale=160:90,format=yuvj420p,tile=10x10" -frames:v 1 -q:v 4 "$T/filmstrip.jpg")"
echo "bare     proxy_seconds=$(t ffmpeg $B -i "$CLIP" -map 0:v:0 -map '0:a:0?' -vf "$CHAIN,scale=w='min(1920,iw)':h='min(1080,ih)':force_original_aspect_ratio=decrease:force_divisible_by=2,setpts=PTS-STARTPTS,format=yuv420p" -c:v libx264 -preset veryfast -crf 23 -profile:v high -r 25/1 -fps_mode cfr -g 25 -keyint_min 25 -sc_threshold 0 -flags +cgop -color_primaries bt709 -af aresample=async=1:first_pts=0 -c:a aac -b:a 160k -ac 2 -movflags +faststart+negative_cts_offsets "$T/proxy.mp4")"
echo "bare     waveform_seconds=$(t ffmpeg $B -i "$CLIP" -map 0:a:0 -vn -ac 1 -ar 16000 -f s16le -acodec pcm_s16le "$T/pcm.raw")"
