import Foundation

/// The field a policy formula belongs to; the slugs are the `category` column of lexicon files.
public enum PolicyCategory: String, CaseIterable, Sendable, Comparable, Codable {
    case poverty, rural, party, ideology, economy, reform, governance, society, ecology, culture, foreign, military, unification, plan

    /// The Chinese name, for people reading the output.
    public var label: String {
        switch self {
        case .poverty: return "脱贫攻坚"
        case .rural: return "三农与乡村振兴"
        case .party: return "党的建设"
        case .ideology: return "指导思想"
        case .economy: return "经济"
        case .reform: return "改革开放"
        case .governance: return "治理与法治"
        case .society: return "社会民生"
        case .ecology: return "生态文明"
        case .culture: return "文化"
        case .foreign: return "外交"
        case .military: return "国防军队"
        case .unification: return "祖国统一"
        case .plan: return "规划时期"
        }
    }

    public static func < (a: Self, b: Self) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// A curated list of policy formulas (提法): canonical form, genuine variants, category, first
/// year and meaning, loaded from lexicon files.
///
/// File format (UTF-8, `#` comments and blank lines ignored), one formula a line, five
/// TAB-separated columns, of which the last three may be empty or left off (meaning `-`):
/// `formula  category  variants  since  meaning`
/// - `formula`: canonical simplified form, without separators or quotes;
/// - `category`: one `PolicyCategory` slug;
/// - `variants`: `|`-separated lexical variants, or `-`. Variants the matcher derives by itself
///   (separators, quotes, traditional characters, Arabic/Chinese numerals, 二/两) are not listed;
/// - `since`: the 4-digit year it appeared, or `-`;
/// - `meaning`: what it stands for, or `-` when not yet written.
/// A malformed line, or a formula or variant given twice in one file, is a `DataFileError` with
/// file and line. Later files override earlier ones formula by formula (`merging`).
///
/// Immutable and `Sendable`. Cost: loading is one pass over the files; lookups are hash probes.
public struct PolicyLexicon: Sendable {
    public struct Entry: Sendable, Hashable {
        public var formula: String
        public var category: PolicyCategory
        public var variants: [String]
        public var since: Int?
        public var meaning: String?
        /// `file:line` the entry was read from, or "" for entries built in code.
        public var origin: String

        public init(formula: String, category: PolicyCategory, variants: [String] = [], since: Int? = nil, meaning: String? = nil, origin: String = "") {
            self.formula = formula
            self.category = category
            self.variants = variants
            self.since = since
            self.meaning = meaning
            self.origin = origin
        }

        /// The entry as one lexicon line.
        public var line: String {
            [formula, category.rawValue, variants.isEmpty ? "-" : variants.joined(separator: "|"),
             since.map(String.init) ?? "-", meaning ?? "-"].joined(separator: "\t")
        }
    }

    /// Entries sorted by formula (code point order).
    public let entries: [Entry]
    private let byFormula: [String: Int]
    private let byKey: [[UInt32]: Int]

    public init(entries: [Entry]) {
        var merged: [String: Entry] = [:]
        for e in entries { merged[e.formula] = e }
        let sorted = merged.values.sorted { $0.formula.unicodeScalars.lexicographicallyPrecedes($1.formula.unicodeScalars) }
        self.entries = sorted
        var byFormula: [String: Int] = [:]
        var byKey: [[UInt32]: Int] = [:]
        for (i, e) in sorted.enumerated() {
            byFormula[e.formula] = i
            for v in e.variants { byKey[FormulaText.key(v)] = i }
        }
        // Canonical forms win over another entry's variant.
        for (i, e) in sorted.enumerated() { byKey[FormulaText.key(e.formula)] = i }
        self.byFormula = byFormula
        self.byKey = byKey
    }

    /// Reads lexicon files; later files override earlier ones formula by formula.
    public init(files: [URL]) throws {
        var all: [Entry] = []
        for file in files { all += try Self.read(file) }
        self.init(entries: all)
    }

    /// The lexicon shipped in `Dictionaries/policy_formulas.tsv`, loaded once per process.
    public static func shipped() throws -> PolicyLexicon { try shippedResult.get() }
    private static let shippedResult: Result<PolicyLexicon, Error> = Result {
        try PolicyLexicon(files: [DataFiles.dictionary("policy_formulas.tsv")])
    }

    /// This lexicon with `other`'s entries added; where both have a formula, `other` wins.
    public func merging(_ other: PolicyLexicon) -> PolicyLexicon {
        PolicyLexicon(entries: entries + other.entries)
    }

    public var count: Int { entries.count }

    /// The entry whose canonical form is exactly `formula`.
    public func entry(formula: String) -> Entry? {
        byFormula[formula].map { entries[$0] }
    }

    /// The entry that `form` names: its canonical form or a variant, compared after folding
    /// (separators and quotes dropped, 1–10 as Chinese numerals, 二 = 两). `form` should already be
    /// normalized (simplified) — `tifa define` runs the `Normalizer` first.
    public func entry(matching form: String) -> Entry? {
        if let i = byFormula[form] { return entries[i] }
        return byKey[FormulaText.key(form)].map { entries[$0] }
    }

    /// Whether a folded key is a canonical form or variant of this lexicon.
    public func knows(key: [UInt32]) -> Bool { byKey[key] != nil }

    /// Every canonical form and listed variant, longest first: the forced phrases a segmenter
    /// must keep whole. Forms the matcher derives (separators, numerals) are not included.
    public var surfaceForms: [String] {
        var seen = Set<String>()
        var forms: [String] = []
        for e in entries {
            for f in [e.formula] + e.variants where seen.insert(f).inserted { forms.append(f) }
        }
        return forms.sorted {
            let a = $0.unicodeScalars.count, b = $1.unicodeScalars.count
            return a != b ? a > b : $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars)
        }
    }

    // MARK: Reading files

    static func read(_ file: URL) throws -> [Entry] {
        var entries: [Entry] = []
        var seenKeys: [[UInt32]: (String, Int)] = [:]
        try DataFiles.forEachDataLine(in: file) { line, number in
            let entry = try parse(line, origin: "\(file.path):\(number)")
            for form in [entry.formula] + entry.variants {
                let key = FormulaText.key(form)
                if let (other, otherLine) = seenKeys[key] {
                    throw DataFileError(message: "`\(form)` is already listed for `\(other)` on line \(otherLine)")
                }
                seenKeys[key] = (entry.formula, number)
            }
            entries.append(entry)
        }
        return entries
    }

    /// Parses one data line. Throws `DataFileError` without file and line (the caller adds them).
    public static func parse(_ line: Substring, origin: String = "") throws -> Entry {
        var columns = DataFiles.tabFields(line).map(trimmingSpaces)
        guard (2...5).contains(columns.count) else {
            throw DataFileError(message: "expected 2 to 5 TAB-separated columns (formula, category, then optionally variants, since, meaning), found \(columns.count)")
        }
        // A user's lexicon of formula and category alone, or with empty cells (a spreadsheet's
        // export): the rest unknown.
        columns += Array(repeating: "-", count: 5 - columns.count)
        for k in 2..<5 where columns[k].isEmpty { columns[k] = "-" }
        let formula = columns[0]
        try checkForm(formula, what: "formula")
        guard let category = PolicyCategory(rawValue: columns[1]) else {
            throw DataFileError(message: "unknown category `\(columns[1])`; one of \(PolicyCategory.allCases.map(\.rawValue).joined(separator: " "))")
        }
        var variants: [String] = []
        if columns[2] != "-" {
            for v in columns[2].split(separator: "|", omittingEmptySubsequences: false) {
                let variant = trimmingSpaces(v)
                try checkForm(variant, what: "variant")
                if variant == formula || variants.contains(variant) {
                    throw DataFileError(message: "variant `\(variant)` repeats the formula or another variant")
                }
                variants.append(variant)
            }
        }
        var since: Int? = nil
        if columns[3] != "-" {
            guard columns[3].count == 4, let year = Int(columns[3]), (1840...2100).contains(year) else {
                throw DataFileError(message: "since must be a 4-digit year or `-`, found `\(columns[3])`")
            }
            since = year
        }
        let meaning = columns[4] == "-" ? nil : columns[4]
        return Entry(formula: formula, category: category, variants: variants, since: since, meaning: meaning, origin: origin)
    }

    /// `text` without the spaces (category Zs) and tabs at its ends, as `trimmingCharacters(in:
    /// .whitespaces)` gives it: Foundation's version bridges every column to NSString, which was
    /// most of the cost of loading the lexicon.
    static func trimmingSpaces(_ text: Substring) -> String {
        func isSpace(_ s: Unicode.Scalar) -> Bool { s == "\t" || s.properties.generalCategory == .spaceSeparator }
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isSpace($0) }), let last = scalars.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(scalars[first...last])
    }

    static func checkForm(_ form: String, what: String) throws {
        guard !form.isEmpty else { throw DataFileError(message: "\(what) is empty") }
        if let bad = form.unicodeScalars.first(where: { FormulaText.isSeparator($0.value) || $0.properties.isWhitespace || $0 == "|" }) {
            throw DataFileError(message: "\(what) `\(form)` contains separator `\(bad)`; write it without separators or quotes")
        }
        if form.unicodeScalars.count > 40 {
            throw DataFileError(message: "\(what) `\(form)` is longer than 40 characters")
        }
    }
}
