#!/usr/bin/env bash
# Regenerate the French voices of the audio captcha (R-CAPTCHA-1) with espeak-ng and sox
# (Debian packages espeak-ng and sox). One 8 kHz mono 8-bit WAV per character, the format
# the `captcha` package's AudioCaptcha reads. The generated files are kept in the repo so
# that neither package is needed at run time.
set -euo pipefail
cd "$(dirname "$0")"
ALPHABET="abcdefghjkmnpqrstuvwxyz23456789"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for (( i=0; i<${#ALPHABET}; i++ )); do
  ch="${ALPHABET:$i:1}"
  mkdir -p "$ch"
  espeak-ng -v fr -s 120 -w "$tmp/raw.wav" "$ch"
  sox "$tmp/raw.wav" -r 8000 -c 1 -b 8 -e unsigned-integer "$ch/1.wav" silence 1 0.02 1% reverse silence 1 0.02 1% reverse
done
