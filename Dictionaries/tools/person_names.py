#!/usr/bin/env python3
"""Regenerates Dictionaries/person_names.txt from jieba's dictionary (MIT licence).

The trained model learned the PKU standard, which writes a person's name as surname + given
name (邓 小平); every other standard (MSR, CTB, Academia Sinica, City University) and jieba write
it whole, and so do users counting how often a name occurs. The model re-cuts only the tokens
it is given (next to a single character), so one text wrote 邓小平 whole after 提议 and split it
after 在: `trend 邓小平` on the congress reports counted 23 of the 47 mentions that stand alone.
The segmenter keeps the lattice's token whole where it is a name of this file.

Selection: jieba's entries tagged nr or nrfg (person names), frequency ≥ 100 (jieba 0.42.1,
dict.txt), of exactly three characters — surname + given name — starting with one of the 255
common surnames below. Two- and four-character entries are left out: jieba's nr tag there is
mostly ordinary words (冷汗, 高雅, 温暖如春, 孔雀). So is an entry whose first two characters are
a common word of jieba's (frequency ≥ 100, not a name: 严重性, 安全感, 高中生) or whose last two
are (frequency ≥ 300: 段时间, 古文化, 胡萝卜 — this also drops a few real names, 郑成功, which
then stay the model's), and one written wholly in transliteration characters of
segmentation_rules.tsv (卢旺达, 莫斯科: foreign names, which the transliteration rule handles).
Added: the members of the Politburo Standing Committee since 2012 (18th–20th Central
Committees) that the selection misses, because jieba's dictionary predates them or lists them
at a placeholder frequency (ADD).

Usage: python3 Dictionaries/tools/person_names.py [--jieba-dict PATH]
  (jieba's dict.txt is found through `import jieba` when not given: pip install jieba==0.42.1)
"""
import argparse, os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
DICTS = os.path.dirname(HERE)
MIN_FREQUENCY = 100

# Common surnames (single characters), Tifa's own list from general knowledge of the language.
SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜"
    "崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文"
    "牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁"
    "冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏"
    "宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝")

# Politburo Standing Committee members since 2012 missing from the selection.
ADD = "丁薛祥 俞正声 刘云山 张德江 张高丽 李克强 李希 李强 栗战书 王岐山 王沪宁 蔡奇 赵乐际 韩正".split()

HEADER = """# Person names the segmenter keeps whole (邓小平, not 邓 小平), though its model learned the PKU
# standard, which splits surname and given name: where the lattice's token is one of these names,
# the model does not re-cut it. Every other segmentation standard and jieba write names whole.
# Format: one name per line, Han characters in normalized (simplified) form. Sorted, no duplicates.
# Source: selected from jieba's dictionary (jieba 0.42.1, dict.txt; entries tagged nr or nrfg,
# frequency >= 100, three characters, a common surname first, no common word in them, not all
# transliteration characters) plus the members of the Politburo
# Standing Committee since 2012, by Dictionaries/tools/person_names.py, which documents the
# selection; regenerate with it. Licence of the source, which applies to this file:
#
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jieba-dict")
    args = parser.parse_args()
    entries = {word: (frequency, tag) for word, frequency, tag in jieba_entries(args.jieba_dict)}

    def common_word(part, minimum):
        frequency, tag = entries.get(part, (0, "nr"))
        return frequency >= minimum and not tag.startswith("nr")

    transliteration = transliteration_characters()
    names = set(ADD)
    for word, (frequency, tag) in entries.items():
        if tag in ("nr", "nrfg") and frequency >= MIN_FREQUENCY and len(word) == 3 and word[0] in SURNAMES \
                and not common_word(word[:2], 100) and not common_word(word[1:], 300) \
                and not all(c in transliteration for c in word):
            names.add(word)
    write_with_licence("person_names.txt", HEADER, sorted(names))


def transliteration_characters():
    """The characters segmentation_rules.tsv gives the role `transliteration`."""
    characters = set()
    for line in open(os.path.join(DICTS, "segmentation_rules.tsv"), encoding="utf-8"):
        fields = line.rstrip("\n").split("\t")
        if not line.startswith("#") and len(fields) >= 2 and fields[1] == "transliteration":
            characters.add(fields[0])
    return characters


sys.path.insert(0, HERE)
from mixed_words import jieba_entries, write_with_licence  # jieba's entries and licence notice

if __name__ == "__main__":
    main()
