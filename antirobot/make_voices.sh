#!/usr/bin/env bash
# Rebuild the French voices of the audio captcha (R-CAPTCHA-1): one WAV per character of
# antirobot.services.ALPHABET, antirobot/voices/<char>.wav, 16 kHz mono 16-bit, the
# format antirobot.render.audio reads. Needs the Debian packages espeak-ng and sox
# (apt-get install -y espeak-ng sox); the files are kept in the repo so that neither is
# needed at run time. Run it again after changing the alphabet:
#     antirobot/make_voices.sh
set -euo pipefail
cd "$(dirname "$0")"
ALPHABET=$(cd .. && python3 -c 'import ast,sys; t=ast.parse(open("antirobot/services.py").read()); print(next(n.value.value for n in t.body if isinstance(n, ast.Assign) and getattr(n.targets[0], "id", "") == "ALPHABET"))')
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rm -f voices/*.wav
mkdir -p voices
for (( i=0; i<${#ALPHABET}; i++ )); do
  ch="${ALPHABET:$i:1}"
  # Upper case makes espeak-ng say the letter's name ("ache", "double vé"), slowly (-s 110).
  espeak-ng -v fr -s 110 -a 160 -w "$tmp/raw.wav" "${ch^^}"
  # Trim the silence around the word, then normalise the loudness of every character.
  sox "$tmp/raw.wav" -r 16000 -c 1 -b 16 -e signed-integer "voices/$ch.wav" \
    silence 1 0.02 1% reverse silence 1 0.02 1% reverse norm -3
done
echo "voices rebuilt for: $ALPHABET"
