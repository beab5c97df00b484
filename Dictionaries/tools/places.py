#!/usr/bin/env python3
"""Regenerates Dictionaries/places.tsv from the administrative divisions of PyPI's `cpca` (MIT).

cpca 0.5.5 (Chinese Province, City and Area Recognition Utilities) ships
`cpca/resources/adcodes.csv`: `adcode,name,longitude,latitude`, one line per division of the
People's Republic of China down to the county level (3,511 lines: 34 provinces, 344 prefectures,
3,133 counties). This script fetches that exact wheel with `pip download --no-deps` into a
temporary folder, checks its SHA-256, and writes one line per (name, level):
  - level from the 12-digit adcode: `province` (PP0000000000), `prefecture` (PPCC00000000),
    else `county`;
  - the group labels of the code table, which are not names (`市辖区` "the city's districts",
    `县` "the counties" of Chongqing, `省直辖县级行政区划` …), and names that are not Han
    characters alone (中沙群岛的岛礁及其海域 is a description, not a name) are left out;
  - the short form in use, by cpca's own rule: the name less a final 省, 市, 特别行政区 or 自治区
    (兴平市 → 兴平, 山西省 → 山西), the five autonomous regions by their usual names (广西壮族自治区
    → 广西). Like cpca, names ending in 县, 区, 旗 … keep no short form: removing those leaves
    a word that is too often something else (渠县 → 渠). A short form needs 2+ characters; `-`
    when there is none.
The same name at the same level (朝阳区 in Beijing and in Changchun) is one line.

Usage: python3 Dictionaries/tools/places.py [--wheel PATH] [--out PATH]
  (without --wheel the wheel is downloaded with pip; the checksum is verified either way)
"""
import argparse, csv, hashlib, io, os, re, subprocess, sys, tempfile, zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
DICTS = os.path.dirname(HERE)

VERSION = "0.5.5"
WHEEL = f"cpca-{VERSION}-py3-none-any.whl"
SHA256 = "1635b589506b3e28424032bce61d2488e1f6fac1034a736014e70e043f824fe6"

# cpca's matcher.py: `special_abbre` and the stop pattern of `_init_data`.
SPECIAL_SHORT = {"内蒙古自治区": "内蒙古", "广西壮族自治区": "广西", "西藏自治区": "西藏",
                 "新疆维吾尔自治区": "新疆", "宁夏回族自治区": "宁夏"}
# Rows of the code table that group divisions rather than name one.
GROUP_LABELS = {"市辖区", "县"}
STOP = re.compile("([省市]|特别行政区|自治区)$")

HEADER = """# China's administrative divisions down to the county level: provinces, prefectures and counties
# (3,100+ names: 山西省, 晋城市, 泽州县, 兴平市, 渠县), for the segmenter's place layer.
# Format: TAB-separated `name<TAB>level<TAB>short`, sorted by name then level, no duplicates.
#   level  province | prefecture | county (from the division code)
#   short  the usual short form (兴平市 → 兴平, 山西省 → 山西, 广西壮族自治区 → 广西): the name less a
#          final 省, 市, 特别行政区 or 自治区, as cpca forms it; `-` when there is none (names in 县,
#          区, 旗 … keep none: 渠县 → 渠 would be wrong far more often than right)
# Source: cpca {version} (PyPI, cpca/resources/adcodes.csv), selected by Dictionaries/tools/places.py,
# which documents the selection; regenerate with it. Licence of the source, which applies to this file:
#
"""


def level_of(adcode):
    if adcode[2:] == "0" * 10:
        return "province"
    if adcode[4:] == "0" * 8:
        return "prefecture"
    return "county"


def is_han(ch):
    c = ord(ch)
    return 0x4E00 <= c <= 0x9FFF or 0x3400 <= c <= 0x4DBF or 0xF900 <= c <= 0xFAFF


def short_form(name):
    short = SPECIAL_SHORT.get(name) or STOP.sub("", name)
    return short if short != name and len(short) >= 2 else "-"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--wheel", help=f"a local copy of {WHEEL}")
    ap.add_argument("--out", default=os.path.join(DICTS, "places.tsv"))
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        wheel = args.wheel
        if not wheel:
            subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                            "--only-binary=:all:", "--dest", tmp, f"cpca=={VERSION}"], check=True)
            wheel = os.path.join(tmp, WHEEL)
        data = open(wheel, "rb").read()
        digest = hashlib.sha256(data).hexdigest()
        if digest != SHA256:
            sys.exit(f"places.py: {wheel}: SHA-256 {digest}, expected {SHA256}")
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            table = z.read("cpca/resources/adcodes.csv").decode("utf-8")
            licence = z.read(f"cpca-{VERSION}.dist-info/LICENSE").decode("utf-8")

    lines = set()
    for row in csv.DictReader(io.StringIO(table)):
        name = row["name"].strip()
        if name in GROUP_LABELS or "直辖" in name or not all(is_han(c) for c in name):
            continue
        lines.add((name, level_of(row["adcode"]), short_form(name)))
    with open(args.out, "w", encoding="utf-8", newline="\n") as f:
        f.write(HEADER.format(version=VERSION))
        for l in licence.strip().split("\n"):
            f.write(("# " + l).rstrip() + "\n")
        # Code point order of the whole line, as DictionaryFileTests checks.
        for name, level, short in sorted(lines, key=lambda t: "\t".join(t)):
            f.write(f"{name}\t{level}\t{short}\n")
    print(f"{len(lines)} lines written to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
