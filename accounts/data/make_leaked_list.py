"""Build espace/data/leaked-passwords.txt.gz (R-PWD-4): shipped with the product, offline.

Sources: Django's list of 20,000 common passwords, plus long passphrases that are
known from public leaks or that the official guides print as examples (a password
printed in a guide is, by definition, public). Run: python espace/data/make_leaked_list.py
"""

import gzip
from pathlib import Path

import django

HERE = Path(__file__).resolve().parent
EXTRA = """
mepedssjcumdppdpd20c!
monespaceprofessionnelestdavantagesecurise
motdepassemotdepasse
motdepassemotdepassemotdepasse
azertyuiopqsdfghjklm
azertyuiopqsdfghjklmwxcvbn
qwertyuiopasdfghjklzxcvbnm
12345678901234567890
123456789012345678901234567890
01234567890123456789
11111111111111111111
00000000000000000000
aaaaaaaaaaaaaaaaaaaa
1qaz2wsx3edc4rfv5tgb
1qaz2wsx3edc4rfv5tgb6yhn
zaq12wsxcde34rfvbgt5
passwordpasswordpassword
passwordpassword1234
iloveyouiloveyouiloveyou
correcthorsebatterystaple
correct horse battery staple
thequickbrownfoxjumpsoverthelazydog
the quick brown fox jumps over the lazy dog
jesuisunmotdepasse
jeneveuxpasdemotdepasse
bonjourbonjourbonjour
soleilsoleilsoleil
impotsimpotsimpots
impots.gouv.fr2024!!
impots.gouv.fr2025!!
impots.gouv.fr2026!!
espaceprofessionnel
espaceprofessionnel2024
espaceprofessionnel2025
espaceprofessionnel2026
administrationfiscale
liberteegalitefraternite
liberte egalite fraternite
""".split("\n")


def main() -> None:
    django_list = Path(django.__file__).parent / "contrib/auth/common-passwords.txt.gz"
    with gzip.open(django_list, "rt", encoding="utf-8") as f:
        words = {line.strip().lower() for line in f if line.strip()}
    words |= {w.strip().lower() for w in EXTRA if w.strip()}
    out = HERE / "leaked-passwords.txt.gz"
    with gzip.GzipFile(out, "wb", mtime=0) as raw:
        raw.write("\n".join(sorted(words)).encode("utf-8") + b"\n")
    print(f"{len(words)} mots de passe dans {out}")


if __name__ == "__main__":
    main()
