#!/bin/sh
# make-media-ffmpeg.sh OUTDIR — the part of the media corpus made by ffmpeg.
#
# Called by make-media.sh (and usable on its own).  Same protocol: "MADE
# name" for each file made, "SKIP name: reason" for each that could not be.
# Cameras and phones mux with libavformat or with muxers that write the same
# boxes, so these files check the probe against a second, independent writer.
#
# The facts written into the files (distinct from the GStreamer ones, so a
# test cannot pass on the wrong file):
#   recorded-at  2023-11-02T14:05:09Z  (MP4/MOV creation_time → mvhd/tkhd/mdhd;
#                                       WAV bext OriginationDate/Time 2023-11-02 14:05:09,
#                                       no zone; LIST/INFO ICRD 2023-11-02)
#   GPS          lat 31.2304, lon 121.4737, alt 12.5, as ISO 6709 "+31.2304+121.4737+012.500/":
#                  ff-h264-aac.mp4, ff-h265.mp4  in moov/udta/loci (16.16 fixed point;
#                                                 ffmpeg puts it beside an iTunes meta)
#                  ff-h264-aac.mov               in moov/udta/©xyz
#                  ff-keys.mov                   in moov/meta keys+ilst as
#                                                 com.apple.quicktime.location.ISO6709
#   video        352 × 288, 30 fps, 4 s (H.264 high profile / H.265 tagged hvc1)
#   audio        AAC or PCM s16le, 48 kHz, mono, 4 s
#   photo        ff-photo.jpg: 800 × 600 baseline JPEG, no EXIF (ffmpeg writes none)
set -u

out=${1:?usage: make-media-ffmpeg.sh OUTDIR}
mkdir -p "$out" || exit 1

DATETIME="2023-11-02T14:05:09Z"
LOCATION="+31.2304+121.4737+012.500/"
BEXT_DATE="2023-11-02"
BEXT_TIME="14:05:09"
SECS=4
VSRC="testsrc2=size=352x288:rate=30"
ASRC="sine=frequency=440:sample_rate=48000"

ALL="ff-h264-aac.mp4 ff-h265.mp4 ff-h264-aac.mov ff-keys.mov ff-tone.wav ff-photo.jpg"

skip () {
  echo "SKIP $1: $2"
}

if ! command -v ffmpeg >/dev/null 2>&1; then
  for n in $ALL; do
    skip "$n" "ffmpeg is not installed (apt-get install ffmpeg)"
  done
  exit 0
fi

encoders=$(ffmpeg -hide_banner -encoders 2>/dev/null)
filters=$(ffmpeg -hide_banner -filters 2>/dev/null)
has_encoder () {
  printf '%s\n' "$encoders" | grep -q "^ [A-Z.]\{6\} $1 "
}
if ! printf '%s\n' "$filters" | grep -q " testsrc2 " || ! printf '%s\n' "$filters" | grep -q " sine "; then
  for n in $ALL; do
    skip "$n" "this ffmpeg has no lavfi testsrc2/sine sources"
  done
  exit 0
fi

ff () {     # ff NAME ARGS… — run ffmpeg to make OUTDIR/NAME
  name=$1; shift
  if ffmpeg -nostdin -hide_banner -loglevel error -y "$@" "$out/$name" >"$out/.log-$name" 2>&1 \
     && [ -s "$out/$name" ]; then
    echo "MADE $name"
    rm -f "$out/.log-$name"
    return 0
  fi
  skip "$name" "ffmpeg failed: $(tail -n 3 "$out/.log-$name" | tr '\n' ' ')"
  rm -f "$out/$name" "$out/.log-$name"
  return 1
}

VIN="-f lavfi -i $VSRC"
AIN="-f lavfi -i $ASRC"
H264="-c:v libx264 -preset veryfast -profile:v high -pix_fmt yuv420p"
H265="-c:v libx265 -preset veryfast -x265-params log-level=error -pix_fmt yuv420p -tag:v hvc1"
AAC="-c:a aac -ac 1 -b:a 64k"

# The word splitting of the option strings is on purpose.
# shellcheck disable=SC2086
{
  if has_encoder libx264 && has_encoder aac; then
    ff ff-h264-aac.mp4 $VIN $AIN -t $SECS $H264 $AAC \
      -metadata creation_time=$DATETIME -metadata location=$LOCATION
    ff ff-h264-aac.mov $VIN $AIN -t $SECS $H264 $AAC \
      -metadata creation_time=$DATETIME -metadata location=$LOCATION
  else
    skip ff-h264-aac.mp4 "ffmpeg has no libx264 or aac encoder"
    skip ff-h264-aac.mov "ffmpeg has no libx264 or aac encoder"
  fi

  if has_encoder libx265; then
    ff ff-h265.mp4 $VIN -t $SECS $H265 \
      -metadata creation_time=$DATETIME -metadata location=$LOCATION
  else
    skip ff-h265.mp4 "ffmpeg has no libx265 encoder"
  fi

  # the iPhone way: QuickTime metadata keys (moov/meta with an mdta handler)
  if has_encoder libx264; then
    ff ff-keys.mov $VIN -t $SECS $H264 -movflags use_metadata_tags \
      -metadata creation_time=$DATETIME \
      -metadata com.apple.quicktime.location.ISO6709=$LOCATION
  else
    skip ff-keys.mov "ffmpeg has no libx264 encoder"
  fi

  if has_encoder pcm_s16le; then
    ff ff-tone.wav $AIN -t $SECS -c:a pcm_s16le -ac 1 -write_bext 1 \
      -metadata date=$BEXT_DATE -metadata origination_date=$BEXT_DATE \
      -metadata origination_time=$BEXT_TIME -metadata originator=Casetrail
  else
    skip ff-tone.wav "ffmpeg has no pcm_s16le encoder"
  fi

  if has_encoder mjpeg; then
    ff ff-photo.jpg -f lavfi -i testsrc2=size=800x600:rate=1 -frames:v 1 \
      -c:v mjpeg -pix_fmt yuvj420p -update 1
  else
    skip ff-photo.jpg "ffmpeg has no mjpeg encoder"
  fi
}
exit 0
