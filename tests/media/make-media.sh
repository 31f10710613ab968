#!/bin/sh
# make-media.sh OUTDIR — generate the media corpus the probe tests use.
#
# Everything is made at test time with GStreamer (and python3 for the
# byte-level damage); nothing binary is committed.  What the installed
# encoders cannot make is skipped with a "SKIP name: reason" line, and a
# final "MISSING: …" line lists every skipped file.  Each file that was
# made is announced with "MADE name".
#
# The facts written into the files (for the tests to compare with):
#   recorded-at  2024-05-17T09:30:15Z  (MP4/MOV creation time, JPEG DateTimeOriginal)
#   GPS          lat 39.9042, lon 116.4074, alt 43.5  (JPEG EXIF)
#   device       make "Casetrail", model "DSJ-T1" (JPEG EXIF)
#   durations    3 s for every audio/video file
# The pipelines below are word-split on purpose.
# shellcheck disable=SC2086
set -u

out=${1:?usage: make-media.sh OUTDIR}
mkdir -p "$out" || exit 1

DATETIME="2024-05-17T09:30:15Z"
LAT=39.9042
LON=116.4074
ALT=43.5
MAKE="Casetrail"
MODEL="DSJ-T1"

# 3 s of 25 fps video and 44.1 kHz audio
VFRAMES=75
ABUFS=$((44100 * 3 / 1024))          # audiotestsrc default 1024 samples a buffer
VSRC="videotestsrc num-buffers=$VFRAMES pattern=smpte ! video/x-raw,width=320,height=240,framerate=25/1,format=I420"
ASRC="audiotestsrc num-buffers=$ABUFS samplesperbuffer=1024 wave=sine ! audio/x-raw,rate=44100,channels=2"

missing=""
skip () {
  echo "SKIP $1: $2"
  missing="$missing $1"
}

have () {
  for e in "$@"; do
    gst-inspect-1.0 --exists "$e" 2>/dev/null || gst-inspect-1.0 "$e" >/dev/null 2>&1 || return 1
  done
  return 0
}

pick () {   # pick the first installed element of the arguments
  for e in "$@"; do
    if have "$e"; then echo "$e"; return 0; fi
  done
  return 1
}

launch () { # launch NAME PIPELINE…
  name=$1; shift
  if gst-launch-1.0 -q "$@" >"$out/.log-$name" 2>&1 && [ -s "$out/$name" ]; then
    echo "MADE $name"
    rm -f "$out/.log-$name"
    return 0
  fi
  skip "$name" "gst-launch-1.0 failed: $(tail -n 3 "$out/.log-$name" | tr '\n' ' ')"
  rm -f "$out/$name" "$out/.log-$name"
  return 1
}

if ! command -v gst-launch-1.0 >/dev/null 2>&1; then
  echo "SKIP all: gst-launch-1.0 is not installed (apt-get install gstreamer1.0-tools)"
  echo "MISSING: all"
  exit 0
fi

H264=$(pick x264enc openh264enc avenc_h264_omx) || H264=
H265=$(pick x265enc) || H265=
AAC=$(pick avenc_aac voaacenc fdkaacenc faac) || AAC=
MP3=$(pick lamemp3enc) || MP3=

TAGS="datetime=(datetime)$DATETIME"

# --- MP4 H.264 / AAC -----------------------------------------------------
if [ -n "$H264" ] && [ -n "$AAC" ] && have mp4mux h264parse aacparse taginject; then
  launch h264-aac.mp4 \
    $VSRC ! $H264 ! h264parse ! taginject tags="$TAGS" ! mp4mux name=mux ! filesink location="$out/h264-aac.mp4" \
    $ASRC ! audioconvert ! $AAC ! aacparse ! mux.
else
  skip h264-aac.mp4 "no H.264 encoder (x264enc/openh264enc), AAC encoder or mp4mux"
fi

# --- MP4 H.265 -----------------------------------------------------------
if [ -n "$H265" ] && have mp4mux h265parse taginject; then
  launch h265.mp4 \
    $VSRC ! $H265 ! h265parse ! taginject tags="$TAGS" ! mp4mux ! filesink location="$out/h265.mp4"
else
  skip h265.mp4 "no H.265 encoder (x265enc, gstreamer1.0-plugins-bad) or mp4mux"
fi

# --- MOV (qtmux) ---------------------------------------------------------
if [ -n "$H264" ] && [ -n "$AAC" ] && have qtmux h264parse aacparse taginject; then
  launch h264-aac.mov \
    $VSRC ! $H264 ! h264parse ! taginject tags="$TAGS" ! qtmux name=mux ! filesink location="$out/h264-aac.mov" \
    $ASRC ! audioconvert ! $AAC ! aacparse ! mux.
else
  skip h264-aac.mov "no H.264/AAC encoder or qtmux"
fi

# qtmux stamps the moov with the time of muxing and has no property for
# the recording time, so set the creation/modification times of the
# mvhd, tkhd and mdhd boxes to $DATETIME as a camera would.
set_qt_time () {
  [ -f "$out/$1" ] || return 0
  command -v python3 >/dev/null 2>&1 || { echo "NOTE $1: python3 missing, creation time left as muxed"; return 0; }
  python3 - "$out/$1" "$DATETIME" <<'EOF'
import calendar, sys, time
path, stamp = sys.argv[1], sys.argv[2]
t = calendar.timegm(time.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ")) + 2082844800
b = bytearray(open(path, "rb").read())
for box in (b"mvhd", b"tkhd", b"mdhd"):
    i = b.find(box)
    while i >= 4:
        v = b[i + 4]
        if v == 0:
            b[i + 8:i + 12] = t.to_bytes(4, "big"); b[i + 12:i + 16] = t.to_bytes(4, "big")
        elif v == 1:
            b[i + 8:i + 16] = t.to_bytes(8, "big"); b[i + 16:i + 24] = t.to_bytes(8, "big")
        i = b.find(box, i + 4)
open(path, "wb").write(bytes(b))
EOF
}
set_qt_time h264-aac.mp4
set_qt_time h265.mp4
set_qt_time h264-aac.mov

# --- WAV -----------------------------------------------------------------
if have wavenc; then
  launch tone.wav $ASRC ! audioconvert ! audio/x-raw,format=S16LE ! wavenc ! filesink location="$out/tone.wav"
else
  skip tone.wav "no wavenc"
fi

# --- MP3 -----------------------------------------------------------------
if [ -n "$MP3" ]; then
  launch tone.mp3 $ASRC ! audioconvert ! $MP3 ! mpegaudioparse ! filesink location="$out/tone.mp3"
else
  skip tone.mp3 "no MP3 encoder (lamemp3enc, gstreamer1.0-plugins-good)"
fi

# --- AAC (ADTS) ----------------------------------------------------------
if [ -n "$AAC" ] && have aacparse; then
  launch tone.aac $ASRC ! audioconvert ! $AAC ! aacparse ! audio/mpeg,stream-format=adts ! filesink location="$out/tone.aac"
else
  skip tone.aac "no AAC encoder"
fi

# --- JPEG with EXIF GPS, DateTimeOriginal, make, model -------------------
if have jpegenc jifmux taginject; then
  launch photo.jpg \
    videotestsrc num-buffers=1 pattern=smpte ! video/x-raw,width=640,height=480 ! jpegenc ! \
    taginject tags="datetime=(datetime)$DATETIME,geo-location-latitude=$LAT,geo-location-longitude=$LON,geo-location-elevation=$ALT,device-manufacturer=$MAKE,device-model=$MODEL" ! \
    jifmux ! filesink location="$out/photo.jpg"
else
  skip photo.jpg "no jpegenc/jifmux"
fi

# --- the bad-input corpus ------------------------------------------------
: >"$out/bad-empty.mp4" && echo "MADE bad-empty.mp4"
head -c 65536 /dev/urandom >"$out/bad-random.mp4" && echo "MADE bad-random.mp4"
ln -sf bad-loop-b.mp4 "$out/bad-loop-a.mp4"
ln -sf bad-loop-a.mp4 "$out/bad-loop-b.mp4" && echo "MADE bad-loop-a.mp4"

if ! command -v python3 >/dev/null 2>&1; then
  for n in bad-trunc-1.mp4 bad-trunc-10.mp4 bad-trunc-50.mp4 bad-trunc-99.mp4 bad-moov.mp4 bad-huge.png bad-huge.jpg; do
    skip "$n" "python3 is not installed"
  done
else
  if [ -f "$out/h264-aac.mp4" ]; then
    python3 - "$out" <<'EOF'
import os, sys
out = sys.argv[1]
data = open(os.path.join(out, "h264-aac.mp4"), "rb").read()
for pct in (1, 10, 50, 99):
    name = "bad-trunc-%d.mp4" % pct
    open(os.path.join(out, name), "wb").write(data[: len(data) * pct // 100])
    print("MADE", name)
# Overwrite the inside of the 'moov' box (keep its header so the demuxer
# commits to it, then meets garbage).
i = data.find(b"moov")
if i < 4:
    print("SKIP bad-moov.mp4: no moov box found")
else:
    size = int.from_bytes(data[i - 4:i], "big")
    b = bytearray(data)
    body = i + 4
    for k in range(body, min(i - 4 + size, len(b))):
        b[k] = (k * 131 + 7) & 0xFF
    open(os.path.join(out, "bad-moov.mp4"), "wb").write(bytes(b))
    print("MADE bad-moov.mp4")
EOF
  else
    for n in bad-trunc-1.mp4 bad-trunc-10.mp4 bad-trunc-50.mp4 bad-trunc-99.mp4 bad-moov.mp4; do
      skip "$n" "no h264-aac.mp4 to damage"
    done
  fi

  python3 - "$out" <<'EOF'
import os, struct, sys, zlib
out = sys.argv[1]
# A PNG that claims 100000 x 100000 pixels, with a valid IHDR CRC and a
# tiny (truncated) image stream.
def chunk(kind, payload):
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload) & 0xFFFFFFFF)
ihdr = struct.pack(">IIBBBBB", 100000, 100000, 8, 2, 0, 0, 0)
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 1024)) + chunk(b"IEND", b"")
open(os.path.join(out, "bad-huge.png"), "wb").write(png)
print("MADE bad-huge.png")
# A baseline JPEG whose SOF0 claims 65500 x 65500 (the format's limit is
# 65535) with a few bytes of scan data.
def seg(marker, payload):
    return b"\xff" + bytes([marker]) + struct.pack(">H", len(payload) + 2) + payload
dqt = seg(0xDB, b"\x00" + bytes([1] * 64))
sof = seg(0xC0, struct.pack(">BHHB", 8, 65500, 65500, 1) + b"\x01\x11\x00")
dht_dc = seg(0xC4, b"\x00" + bytes([0, 1] + [0] * 14) + b"\x00")
dht_ac = seg(0xC4, b"\x10" + bytes([0, 1] + [0] * 14) + b"\x00")
sos = seg(0xDA, b"\x01\x01\x00\x00\x3f\x00")
jpg = b"\xff\xd8" + dqt + sof + dht_dc + dht_ac + sos + b"\x00" * 64 + b"\xff\xd9"
open(os.path.join(out, "bad-huge.jpg"), "wb").write(jpg)
print("MADE bad-huge.jpg")
EOF
fi

# anything the python3 steps reported but did not count
for n in h264-aac.mp4 h265.mp4 h264-aac.mov tone.wav tone.mp3 tone.aac photo.jpg \
         bad-trunc-1.mp4 bad-trunc-10.mp4 bad-trunc-50.mp4 bad-trunc-99.mp4 bad-moov.mp4 \
         bad-huge.png bad-huge.jpg; do
  if [ ! -f "$out/$n" ]; then
    case " $missing " in
      *" $n "*) ;;
      *) missing="$missing $n" ;;
    esac
  fi
done

if [ -n "$missing" ]; then
  echo "MISSING:$missing"
else
  echo "MISSING: none"
fi
exit 0
