#!/usr/bin/env bash
# Rebuild the French voices of the audio captcha (R-CAPTCHA-1): for each voice of VOICES below,
# one WAV per character of antirobot.services.ALPHABET, antirobot/voices/<voice>/<char>.wav,
# 16 kHz mono 16-bit, the format antirobot.render.audio reads. Needs the Debian packages
# espeak-ng and sox (apt-get install -y espeak-ng sox); the files are kept in the repo so
# that neither is needed at run time. Run it again after changing the alphabet or the voices:
#     antirobot/make_voices.sh
# Several voices (men's and women's, French of France, Belgium and Switzerland, each with its
# own pitch and pace), so that no one recording of a character is all a listener can hear,
# nor all a template-matching script has to look for (issue 13 item 4).
set -euo pipefail
cd "$(dirname "$0")"
ALPHABET=$(cd .. && python3 -c 'import ast,sys; t=ast.parse(open("antirobot/services.py").read()); print(next(n.value.value for n in t.body if isinstance(n, ast.Assign) and getattr(n.targets[0], "id", "") == "ALPHABET"))')
# name: espeak-ng voice+variant, pitch (0-99), words per minute
VOICES=(
  "m1:fr+m1:40:112"
  "m3:fr+m3:55:104"
  "m7:fr-be+m7:35:110"
  "f2:fr+f2:62:108"
  "f4:fr+f4:50:118"
  "f5:fr-ch+f5:70:102"
)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rm -rf voices
for spec in "${VOICES[@]}"; do
  IFS=: read -r name voice pitch speed <<< "$spec"
  mkdir -p "voices/$name"
  for (( i=0; i<${#ALPHABET}; i++ )); do
    ch="${ALPHABET:$i:1}"
    # Upper case makes espeak-ng say the letter's name ("ache", "double vé"), slowly.
    espeak-ng -v "$voice" -p "$pitch" -s "$speed" -a 160 -w "$tmp/raw.wav" "${ch^^}"
    # Trim the silence around the word, then normalise the loudness of every character.
    sox "$tmp/raw.wav" -r 16000 -c 1 -b 16 -e signed-integer "voices/$name/$ch.wav" \
      silence 1 0.02 1% reverse silence 1 0.02 1% reverse norm -3
  done
done
echo "voices rebuilt for: $ALPHABET (${#VOICES[@]} voices)"
