import Foundation
import Tifa

/// A build whose options differ from the previous index's only in the content of the user's
/// dictionaries and lexicons: the index is updated in place, re-analysing only the documents
/// whose normalized text holds a changed entry (`UserWordLists`, DESIGN §7a).
struct WordListUpdate {
    var change: UserWordLists.Change
    /// The strings to look for; nil when no entry changed (only the files' bytes did).
    var phrases: PhraseSet?

    /// Why everything is re-indexed instead.
    struct Refusal: Error {
        var message: String
    }

    static func make(existing: ExistingIndex, options: IndexBuildOptions, hashedFiles: [Analyzer.HashedDataFile]) throws -> Result<WordListUpdate, Refusal> {
        let other = Refusal(message: "the analyzer, its dictionaries or the options changed since the last build")
        // Analyses made elsewhere are stored as given: a kept one would keep the old words.
        guard options.source == .corpus, let previousLists = existing.userWordLists,
              existing.fingerprintWithoutWordLists == Provenance.fingerprintWithoutWordLists(options: options, hashedFiles: hashedFiles) else {
            return .failure(other)
        }
        let change = try UserWordLists(options: options.analysis).changes(since: previousLists)
        if change.affectsAnyText {
            return .failure(Refusal(message: "a changed lexicon formula has a form without characters to look for (any document may hold it)"))
        }
        return .success(WordListUpdate(change: change, phrases: change.phrases.isEmpty ? nil : PhraseSet(change.phrases)))
    }

    /// Existing formula terms take the category of their changed entry (a fresh build takes it
    /// from the lexicon too).
    func updateCategories(writer: IndexWriter, options: IndexBuildOptions) throws {
        guard !change.formulas.isEmpty else { return }
        let lexicon = try Analyzer.lexicon(for: options.analysis)
        for formula in change.formulas {
            guard let entry = lexicon.entry(formula: formula) else { continue }
            try writer.setCategory(entry.category.rawValue, ofFormula: formula)
        }
    }
}
