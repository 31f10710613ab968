#!/bin/sh
# make-media.sh OUTDIR — generate the media corpus the probe tests use.
#
# Everything is made at test time with GStreamer, with ffmpeg (by
# make-media-ffmpeg.sh, next to this script, whose facts are listed there)
# and with python3 for the byte-level damage; nothing binary is committed.
# What the installed tools cannot make is skipped with a "SKIP name: reason"
# line, and a final "MISSING: …" line lists every skipped file.  Each file
# that was made is announced with "MADE name".
#
# The facts written into the files (for the tests to compare with):
#   recorded-at  2024-05-17T09:30:15Z  (MP4/MOV creation time, JPEG DateTimeOriginal)
#   GPS          lat 39.9042, lon 116.4074, alt 43.5  (JPEG EXIF)
#   device       make "Casetrail", model "DSJ-T1" (JPEG EXIF)
#   durations    3 s for every audio/video file
#
# The bad-input corpus (each must be refused with a reason, or at least
# never crash or hang the probe):
#   bad-empty.mp4          zero bytes
#   bad-random.mp4         64 KiB of random bytes
#   bad-trunc-N.mp4        h264-aac.mp4 cut at N = 1, 10, 50, 99 % (index at the end)
#   bad-fast-trunc-N.mp4   ff-h264-aac.mp4 with the index moved to the front
#                          (ffmpeg -movflags +faststart), cut at N %
#   bad-moov.mp4           the whole moov box overwritten with garbage
#   bad-index.mp4          corrupt index: every stco/co64 chunk offset points
#                          past the end of the file, every stsz size is 2 GiB
#   bad-huge.mp4           tkhd and the avc1 sample entry claim 65535 × 65535
#   bad-huge.png           a PNG header claiming 100000 × 100000
#   bad-huge.jpg           a JPEG SOF0 claiming 65500 × 65500
#   bad-loop-a.mp4         a symlink loop (bad-loop-a.mp4 → bad-loop-b.mp4 → …)
#   bad-unreadable.mp4     a copy of a good MP4 with mode 000
# The damaged MP4s are made from h264-aac.mp4, or from ff-h264-aac.mp4 when
# GStreamer could not make that.
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

GST_FILES="h264-aac.mp4 h265.mp4 h264-aac.mov tone.wav tone.mp3 tone.aac photo.jpg"
if command -v gst-launch-1.0 >/dev/null 2>&1; then
  H264=$(pick x264enc openh264enc avenc_h264_omx) || H264=
  H265=$(pick x265enc) || H265=
  AAC=$(pick avenc_aac voaacenc fdkaacenc faac) || AAC=
  MP3=$(pick lamemp3enc) || MP3=
  have_gst=1
else
  for n in $GST_FILES; do
    skip "$n" "gst-launch-1.0 is not installed (apt-get install gstreamer1.0-tools)"
  done
  have_gst=0
fi

if [ "$have_gst" = 1 ]; then
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
fi

# --- the same kinds of file made by ffmpeg ---------------------------------
here=$(dirname "$0")
if [ -f "$here/make-media-ffmpeg.sh" ]; then
  ffout=$(sh "$here/make-media-ffmpeg.sh" "$out")
  printf '%s\n' "$ffout"
  for n in $(printf '%s\n' "$ffout" | sed -n 's/^SKIP \([^:]*\):.*/\1/p'); do
    missing="$missing $n"
  done
else
  echo "SKIP ffmpeg: make-media-ffmpeg.sh is not next to make-media.sh"
  missing="$missing ffmpeg"
fi

# --- the bad-input corpus ------------------------------------------------
: >"$out/bad-empty.mp4" && echo "MADE bad-empty.mp4"
head -c 65536 /dev/urandom >"$out/bad-random.mp4" && echo "MADE bad-random.mp4"
ln -sf bad-loop-b.mp4 "$out/bad-loop-a.mp4"
ln -sf bad-loop-a.mp4 "$out/bad-loop-b.mp4" && echo "MADE bad-loop-a.mp4"

# the MP4 to damage: GStreamer's, else ffmpeg's
src=
for n in h264-aac.mp4 ff-h264-aac.mp4; do
  if [ -f "$out/$n" ]; then src=$n; break; fi
done

if [ -n "$src" ]; then
  cp "$out/$src" "$out/bad-unreadable.mp4" && chmod 000 "$out/bad-unreadable.mp4" \
    && echo "MADE bad-unreadable.mp4"
else
  skip bad-unreadable.mp4 "no h264-aac.mp4 or ff-h264-aac.mp4 to copy"
fi

# ffmpeg's MP4 with the index in front, for the truncations a camera that
# writes "fast start" files leaves behind
fast=
if [ -f "$out/ff-h264-aac.mp4" ] && command -v ffmpeg >/dev/null 2>&1 \
   && ffmpeg -nostdin -hide_banner -loglevel error -y -i "$out/ff-h264-aac.mp4" -c copy \
        -movflags +faststart -f mp4 "$out/.fast.mp4" >/dev/null 2>&1; then
  fast="$out/.fast.mp4"
fi

DAMAGED="bad-trunc-1.mp4 bad-trunc-10.mp4 bad-trunc-50.mp4 bad-trunc-99.mp4 bad-moov.mp4 bad-index.mp4 bad-huge.mp4"
FAST_TRUNC="bad-fast-trunc-1.mp4 bad-fast-trunc-10.mp4 bad-fast-trunc-50.mp4 bad-fast-trunc-99.mp4"
if ! command -v python3 >/dev/null 2>&1; then
  for n in $DAMAGED $FAST_TRUNC bad-huge.png bad-huge.jpg; do
    skip "$n" "python3 is not installed"
  done
else
  if [ -z "$fast" ]; then
    for n in $FAST_TRUNC; do
      skip "$n" "no ff-h264-aac.mp4 (ffmpeg) to move the index of"
    done
  fi
  if [ -n "$src" ]; then
    python3 - "$out" "$src" "$fast" <<'EOF'
import os, struct, sys
out, src, fast = sys.argv[1], sys.argv[2], sys.argv[3]
data = open(os.path.join(out, src), "rb").read()

def write(name, payload):
    open(os.path.join(out, name), "wb").write(payload)
    print("MADE", name)

for pct in (1, 10, 50, 99):
    write("bad-trunc-%d.mp4" % pct, data[: len(data) * pct // 100])
if fast:
    fdata = open(fast, "rb").read()
    for pct in (1, 10, 50, 99):
        write("bad-fast-trunc-%d.mp4" % pct, fdata[: len(fdata) * pct // 100])

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
    write("bad-moov.mp4", bytes(b))

# The box tree, for the precise damage below: (type, body start, end).
CONTAINERS = {b"moov", b"trak", b"mdia", b"minf", b"stbl"}

def walk(buf, start, end, found):
    pos = start
    while pos + 8 <= end:
        size = int.from_bytes(buf[pos:pos + 4], "big")
        kind = bytes(buf[pos + 4:pos + 8])
        hdr = 8
        if size == 1:
            size = int.from_bytes(buf[pos + 8:pos + 16], "big")
            hdr = 16
        elif size == 0:
            size = end - pos
        if size < hdr or pos + size > end:
            break
        found.append((kind, pos + hdr, pos + size))
        if kind in CONTAINERS:
            walk(buf, pos + hdr, pos + size, found)
        elif kind == b"stsd":           # full box, entry count, then the sample entries
            walk(buf, pos + hdr + 8, pos + size, found)
        pos += size
    return found

# Corrupt index: every chunk offset points far past the end of the file and
# every sample is 2 GiB.
b = bytearray(data)
patched = 0
for kind, body, stop in walk(b, 0, len(b), []):
    if kind in (b"stco", b"co64"):
        width = 4 if kind == b"stco" else 8
        for k in range(int.from_bytes(b[body + 4:body + 8], "big")):
            o = body + 8 + k * width
            if o + width <= stop:
                b[o:o + width] = ((0xFFFFFF00 if width == 4 else 0x7FFFFFFFFFFF0000) + k).to_bytes(width, "big")
                patched += 1
    elif kind == b"stsz":
        b[body + 4:body + 8] = bytes(4)  # no common size: one entry a sample
        for k in range(int.from_bytes(b[body + 8:body + 12], "big")):
            o = body + 12 + k * 4
            if o + 4 <= stop:
                b[o:o + 4] = (0x7FFFFFF0).to_bytes(4, "big")
if patched:
    write("bad-index.mp4", bytes(b))
else:
    print("SKIP bad-index.mp4: no stco/co64 box found")

# Absurd dimensions: the track header says 65535.0 × 65535.0 (16.16) and the
# visual sample entry 65535 × 65535 (the SPS inside still says the truth).
b = bytearray(data)
entries = 0
for kind, body, stop in walk(b, 0, len(b), []):
    if kind == b"tkhd":
        b[stop - 8:stop] = struct.pack(">II", 0xFFFF0000, 0xFFFF0000)
    elif kind in (b"avc1", b"avc3", b"hvc1", b"hev1"):
        # SampleEntry (8 bytes), pre_defined and reserved (16), then width, height
        b[body + 24:body + 28] = struct.pack(">HH", 65535, 65535)
        entries += 1
if entries:
    write("bad-huge.mp4", bytes(b))
else:
    print("SKIP bad-huge.mp4: no video sample entry found")
EOF
  else
    for n in $DAMAGED $FAST_TRUNC; do
      skip "$n" "no h264-aac.mp4 or ff-h264-aac.mp4 to damage"
    done
  fi
  rm -f "$out/.fast.mp4"

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
for n in $GST_FILES $DAMAGED $FAST_TRUNC bad-huge.png bad-huge.jpg bad-unreadable.mp4; do
  if [ ! -e "$out/$n" ]; then
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
