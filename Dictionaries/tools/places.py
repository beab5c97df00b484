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

Township names come from jionlp 1.5.31 (PyPI, Apache License 2.0):
`jionlp/dictionary/china_location.zip` holds `china_location.txt`, the divisions by indentation
(province, prefecture, county, township, village; 704,486 lines). Its fourth level, the
townships, gives the names written with 镇, 乡 (民族乡 among them) or 街道 of 3+ Han characters
(董封乡, 华亭镇, 城关镇; 30,831 names), level `township`, no short form. Left out: the other
units of that level (农场, 开发区, 管理处, 工业园 …, often a generic phrase: 经济开发区), and a
name found inside a longer word of jieba's dictionary (jieba 0.42.1, MIT) or of Tifa's general,
domain and segmentation word lists (山下乡 of 上山下乡, 小城镇; 15 names): in the lattice a place
name outranks those lists, so it would break the longer word. Villages (the fifth level, 660,000
names) are not taken: too many of them are everyday words (新村, 中心村).

Taiwan, Hong Kong and Macau: the code table names them at the province level only (台湾省,
香港特别行政区, 澳门特别行政区), so their own divisions are added from the lists their governments
publish (facts, written here in simplified characters, as the lexicons are; Tifa's own lines):
Taiwan's six special municipalities and three provincial cities (level `prefecture`, short form
by the rule above: 新北市 → 新北) and its thirteen counties (`county`), Hong Kong's eighteen
districts and Macau's seven parishes (`county`). Left out: the two-character ones that are
everyday words (南区, 北区, 大堂区's 大堂; 东区 is in the code table already). Before, 新北市 came out
新 北市 and 深水埗区 深水 埗区.

Usage: python3 Dictionaries/tools/places.py [--wheel PATH] [--jionlp-wheel PATH] [--jieba-sdist PATH] [--out PATH]
  (without them the packages are downloaded with pip; the checksums are verified either way)
"""
import argparse, csv, hashlib, io, os, re, subprocess, sys, tarfile, tempfile, zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
DICTS = os.path.dirname(HERE)

VERSION = "0.5.5"
WHEEL = f"cpca-{VERSION}-py3-none-any.whl"
SHA256 = "1635b589506b3e28424032bce61d2488e1f6fac1034a736014e70e043f824fe6"
JIONLP_VERSION = "1.5.31"
JIONLP_WHEEL = f"jionlp-{JIONLP_VERSION}-py2.py3-none-any.whl"
JIONLP_SHA256 = "688ba3793c5c0888b166ae1b11aaf6161db661a162019e77ffcf5951427e528f"
JIEBA_VERSION = "0.42.1"
JIEBA_SDIST = f"jieba-{JIEBA_VERSION}.tar.gz"
JIEBA_SHA256 = "055ca12f62674fafed09427f176506079bc135638a14e23e25be909131928db2"
TOWNSHIP = re.compile("[\u4e00-\u9fff]{2,}(镇|乡|街道)")
WORD_LISTS = ["general_words.txt", "domain_words.txt", "segmentation_words.txt"]

# cpca's matcher.py: `special_abbre` and the stop pattern of `_init_data`.
SPECIAL_SHORT = {"内蒙古自治区": "内蒙古", "广西壮族自治区": "广西", "西藏自治区": "西藏",
                 "新疆维吾尔自治区": "新疆", "宁夏回族自治区": "宁夏"}
# Divisions the code table leaves out (see the docstring): name → level.
TAIWAN_HONG_KONG_MACAU = {
    **{n: "prefecture" for n in ["台北市", "新北市", "桃园市", "台中市", "台南市", "高雄市", "基隆市", "新竹市", "嘉义市"]},
    **{n: "county" for n in ["新竹县", "苗栗县", "彰化县", "南投县", "云林县", "嘉义县", "屏东县", "宜兰县", "花莲县",
                             "台东县", "澎湖县", "金门县", "连江县"]},
    **{n: "county" for n in ["中西区", "湾仔区", "油尖旺区", "深水埗区", "九龙城区", "黄大仙区", "观塘区", "荃湾区",
                             "屯门区", "元朗区", "大埔区", "西贡区", "沙田区", "葵青区", "离岛区"]},
    **{n: "county" for n in ["花地玛堂区", "花王堂区", "望德堂区", "风顺堂区", "嘉模堂区", "圣方济各堂区"]},
}
# Rows of the code table that group divisions rather than name one.
GROUP_LABELS = {"市辖区", "县"}
STOP = re.compile("([省市]|特别行政区|自治区)$")

HEADER = """# China's administrative divisions down to the township level: provinces, prefectures, counties
# and townships (34,000 names: 山西省, 晋城市, 泽州县, 兴平市, 渠县, 董封乡), with the cities, counties and
# districts of Taiwan, Hong Kong and Macau (新北市, 深水埗区), for the segmenter's place layer.
# Format: TAB-separated `name<TAB>level<TAB>short`, sorted by name then level, no duplicates.
#   level  province | prefecture | county (from the division code) | township
#   short  the usual short form (兴平市 → 兴平, 山西省 → 山西, 广西壮族自治区 → 广西): the name less a
#          final 省, 市, 特别行政区 or 自治区, as cpca forms it; `-` when there is none (names in 县,
#          区, 旗 … keep none: 渠县 → 渠 would be wrong far more often than right)
# Source: cpca {version} (PyPI, cpca/resources/adcodes.csv) for provinces, prefectures and counties;
# jionlp {jionlp} (PyPI, jionlp/dictionary/china_location.zip; Apache License 2.0,
# https://www.apache.org/licenses/LICENSE-2.0; only the township names are taken, as selected) for
# townships; selected by Dictionaries/tools/places.py, which documents the selection; regenerate
# with it. Licence of cpca, which applies to its lines of this file:
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


def fetch(path, spec, name, digest, tmp, binary):
    """The bytes of a package file (downloaded with pip unless `path` is given), checked."""
    if not path:
        kind = "--only-binary=:all:" if binary else "--no-binary=:all:"
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", kind,
                        "--dest", tmp, spec], check=True)
        path = os.path.join(tmp, name)
    data = open(path, "rb").read()
    actual = hashlib.sha256(data).hexdigest()
    if actual != digest:
        sys.exit(f"places.py: {path}: SHA-256 {actual}, expected {digest}")
    return data


def read_jionlp(path, tmp):
    data = fetch(path, f"jionlp=={JIONLP_VERSION}", JIONLP_WHEEL, JIONLP_SHA256, tmp, binary=True)
    with zipfile.ZipFile(io.BytesIO(data)) as wheel:
        inner = wheel.read("jionlp/dictionary/china_location.zip")
    with zipfile.ZipFile(io.BytesIO(inner)) as z:
        return z.read("china_location.txt").decode("utf-8")


def read_jieba(path, tmp):
    data = fetch(path, f"jieba=={JIEBA_VERSION}", JIEBA_SDIST, JIEBA_SHA256, tmp, binary=False)
    with tarfile.open(fileobj=io.BytesIO(data)) as t:
        text = t.extractfile(f"jieba-{JIEBA_VERSION}/jieba/dict.txt").read().decode("utf-8")
    return [l.split()[0] for l in text.split("\n") if l.strip()]


def township_names(locations):
    """The names at the fourth level of indentation (three tabs) written with 镇, 乡 or 街道."""
    names = set()
    for line in locations.split("\n"):
        if line.startswith("\t\t\t") and not line.startswith("\t\t\t\t"):
            name = line.strip().split("\t")[0]
            if TOWNSHIP.fullmatch(name):
                names.add(name)
    return names


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--wheel", help=f"a local copy of {WHEEL}")
    ap.add_argument("--jionlp-wheel", help=f"a local copy of {JIONLP_WHEEL}")
    ap.add_argument("--jieba-sdist", help=f"a local copy of {JIEBA_SDIST}")
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
        locations = read_jionlp(args.jionlp_wheel, tmp)
        jieba_words = read_jieba(args.jieba_sdist, tmp)

    lines = set()
    for row in csv.DictReader(io.StringIO(table)):
        name = row["name"].strip()
        if name in GROUP_LABELS or "直辖" in name or not all(is_han(c) for c in name):
            continue
        lines.add((name, level_of(row["adcode"]), short_form(name)))
    for name, level in TAIWAN_HONG_KONG_MACAU.items():
        lines.add((name, level, short_form(name)))
    named = {name for name, _, _ in lines}
    words = jieba_words + [l.split()[0] for f in WORD_LISTS
                           for l in open(os.path.join(DICTS, f), encoding="utf-8") if l.strip() and not l.startswith("#")]
    inside = set()  # every run of 3–7 characters inside a longer word
    for w in words:
        for k in range(3, min(len(w), 8)):
            for i in range(len(w) - k + 1):
                inside.add(w[i:i + k])
    townships = township_names(locations)
    left_out = sorted(n for n in townships if n in inside)
    for name in townships - inside - named:
        lines.add((name, "township", "-"))
    print(f"{len(townships)} township names, {len(left_out)} left out inside longer words: {' '.join(left_out)}", file=sys.stderr)
    with open(args.out, "w", encoding="utf-8", newline="\n") as f:
        f.write(HEADER.format(version=VERSION, jionlp=JIONLP_VERSION))
        for l in licence.strip().split("\n"):
            f.write(("# " + l).rstrip() + "\n")
        # Code point order of the whole line, as DictionaryFileTests checks.
        for name, level, short in sorted(lines, key=lambda t: "\t".join(t)):
            f.write(f"{name}\t{level}\t{short}\n")
    print(f"{len(lines)} lines written to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
