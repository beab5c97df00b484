/// The lattice's side of the trained model: what the model sees of a stretch, where it runs
/// (the windows), and the tokens of its tags.
extension Lattice {
    /// What the model sees of the current stretch, from the scanner's atoms and the lattice's
    /// best path (`path[0..<pathCount]`, ends of tokens from the last), for every atom: what a
    /// trainer collects (`runModel` fills only its windows).
    func fillModelInput(_ input: ModelInput, pathCount: Int) {
        fillSymbols(input, atoms: 0..<atomCount)
        var from = 0
        var c = pathCount
        while c > 0 {
            c -= 1
            let to = Int(path[c])
            fillToken(input, from, to)
            let fixed = isFixedToken(from, to)
            for k in from..<to { input.fixed[k] = fixed ? input.latticeTag[k] : SegmentationModel.free }
            from = to
        }
    }

    /// Whether the model must keep the lattice's token `from..<to` (atoms); see `modelClass`.
    @inline(__always) func isFixedToken(_ from: Int, _ to: Int) -> Bool {
        modelClass(from, to) & Self.modelFree == 0
    }

    /// `modelFree` and `modelUnsure` of a lattice token.
    static let modelFree = 1, modelUnsure = 2
    // Rule codes and token kinds (all below 64) as bit masks: fixed tokens, and unsure ones.
    static let fixedRules: UInt64 = 1 << (ruleLexicon + LexiconLayer.user.rawValue) | 1 << (ruleLexicon + LexiconLayer.forcedPhrase.rawValue)
        | 1 << ruleAnonymizedName
    static let fixedKinds: UInt64 = 1 << Token.Kind.formula.rawValue | 1 << Token.Kind.number.rawValue
    static let unsureRules: UInt64 = 1 << ruleSuffix | 1 << ruleTransliteration | 1 << ruleNameDot
    static let unsureSingleRules: UInt64 = 1 << ruleSingle | 1 << ruleUnknown

    /// How the model sees the lattice's token `from..<to` (atoms): `modelFree` unless it is
    /// fixed (a forced phrase, a user word, an anonymized name, a number or numeral pattern, or a token with a
    /// non-Han atom), and `modelUnsure` when it is free and the lattice may have it wrong (a
    /// single character, a word + productive suffix, a transliterated name; see DESIGN.md §4a
    /// for the measurements that chose this gate).
    ///
    /// Without a branch but for tokens of 3+ atoms (their middle atoms): the classes of a
    /// stretch's tokens follow no pattern, and deciding them by branches (one per rule, kind
    /// and atom) made the token walk of `runModel` cost more than its work (DESIGN.md §4a).
    @inline(__always) func modelClass(_ from: Int, _ to: Int) -> Int {
        let rule = UInt64(backRule[to]) & 63, kind = UInt64(backKind[to]) & 63
        var nonHan = Int(truncatingIfNeeded: (atomKind[from] ^ Self.han) | (atomKind[to - 1] ^ Self.han))
        var k = from + 1
        while k < to - 1 {
            nonHan |= Int(truncatingIfNeeded: atomKind[k] ^ Self.han)
            k += 1
        }
        let fixed = Int(truncatingIfNeeded: (Self.fixedRules &>> rule | Self.fixedKinds &>> kind) & 1) | (nonHan != 0 ? 1 : 0)
        let single: UInt64 = to - from == 1 ? 1 : 0
        let unsure = Int(truncatingIfNeeded: (Self.unsureRules &>> rule | Self.unsureSingleRules &>> rule & single) & 1)
        let free = fixed ^ 1
        return free | (unsure & free) << 1
    }

    /// Domain words this long or longer are kept whole when the model runs. The model learned
    /// PKU's cuts of compounds (中国 共产党, 基本 公共 服务 均等化) and applied them only next to a
    /// single character, so the congress reports wrote 中国共产党 whole 51 times and split 128
    /// times. Training is unchanged (the trainer still learns PKU's cuts; this overrides them).
    /// Shorter domain words stay free: fixing the 4-character ones (人民群众, 精准识别) as well
    /// cost PKU F1 another 0.004, below the target (DESIGN.md §4a); `--whole-domain-words`
    /// (`Segmenter.Options.DomainWords.whole`) keeps them all whole, for counts that do not
    /// depend on a word's neighbours (`Segmenter.wholeDomainLength`), and lets the model join them with a
    /// neighbour (`markWhole`). The 5+-character ones stay fixed in both modes: free (and never
    /// cut) in the windows they cost 0.9 % more instructions on the congress reports (an index
    /// build 1.8 % more time) and changed 3 places of their segmentation, none a join.
    static let minimumWholeDomainLength = 5
    static let domainRule = ruleLexicon + LexiconLayer.domain.rawValue

    /// `modelClass` at run time: a domain word of `minimumWholeDomainLength`+ atoms is fixed
    /// (with `--domain-words whole` the shorter ones are free but never cut: `markWhole`). Two more bits for the model's kept words (`SegmentationModel.keptWords`): `modelKeeps`,
    /// a free word the model keeps whole, and `modelJoins`, an unsure token the model may join
    /// with a word next to it (every unsure token but a single character the model keeps
    /// alone). A kept word is in a window only next to a token that may join it: next to
    /// 的 or 在 the model left such words whole over its training text, and a window stops at
    /// them instead of decoding their atoms again (DESIGN.md §4a).
    @inline(__always) func runClass(_ from: Int, _ to: Int) -> Int {
        let rule = backRule[to]
        let fixedDomainWord = rule == Self.domainRule && to - from >= Self.minimumWholeDomainLength
        if fixedDomainWord { return 0 }
        let c = modelClass(from, to)
        let keeps = Int(truncatingIfNeeded: rule >> 6 & 1)
        let unsure = c >> 1 & 1
        // A kept single character is unsure but joins nothing; a kept word is free, not unsure.
        return c | (unsure & (keeps ^ 1)) << 2 | (keeps & (unsure ^ 1) & c) << 3
    }
    static let modelJoins = 4, modelKeeps = 8

    /// Whether the lattice's token `from..<to` (atoms) is a domain word the model must not cut
    /// when `joinableDomainWords`: one of 2+ atoms (those of `minimumWholeDomainLength`+ are
    /// fixed and never in a window, unless they are kept words).
    @inline(__always) func isWholeDomainWord(_ from: Int, _ to: Int) -> Bool {
        to - from >= 2 && ruleCode(to) == Self.domainRule
    }

    /// `ModelInput.forbidden` of the window token `from..<to`, a domain word the model must
    /// not cut (`isWholeDomainWord`): the tags that would put a word boundary inside it — its
    /// first atom B or M, its middle atoms M, its last M or E — so the model may still join it
    /// with its neighbours (共产党 + 人 → 共产党人, 国 计 + 民生 → 国计民生) but never split it.
    /// Fixing the word instead (a window boundary on each side) lost those joins (DESIGN.md §4a).
    /// The window is marked `SegmentationModel.holdsWholeWord`; decoding it clears the marks.
    @inline(__always) func markWhole(_ input: ModelInput, _ from: Int, _ to: Int) {
        typealias Model = SegmentationModel
        input.forbidden[from] = Model.forbidFirst
        for k in (from + 1)..<(to - 1) { input.forbidden[k] = Model.forbidMiddle }
        input.forbidden[to - 1] = Model.forbidLast
    }

    /// The model's input of the atoms of the lattice token `from..<to`, but for their fixed
    /// tags (only a trainer reads them: the windows the model decodes have no fixed atom).
    @inline(__always) func fillToken(_ input: ModelInput, _ from: Int, _ to: Int) {
        typealias Model = SegmentationModel
        let rule = ruleCode(to)
        let ruleClass = rule >= Self.ruleLexicon ? UInt8(min(Int(rule - Self.ruleLexicon) + 8, Model.ruleClasses - 1)) : rule
        let length = to - from
        let lengthByte = UInt8(min(length, 255))
        for k in from..<to {
            input.latticeTag[k] = Model.tagM
            input.ruleClass[k] = ruleClass
            input.tokenLength[k] = lengthByte
        }
        // B M … E, or S alone (the last atom's E overwritten).
        input.latticeTag[to - 1] = Model.tagE
        input.latticeTag[from] = length == 1 ? Model.tagS : Model.tagB
        tokenEnd[from] = Int32(to)
    }

    /// The model's symbols of `atoms`, and the padding at both ends of the stretch.
    func fillSymbols(_ input: ModelInput, atoms: Range<Int>) {
        let m = atomCount
        typealias Model = SegmentationModel
        let sym = input.symbols
        sym[0] = Model.symbolStart; sym[1] = Model.symbolStart
        sym[m + 2] = Model.symbolEnd; sym[m + 3] = Model.symbolEnd
        for k in atoms {
            let p = atomStart[k]
            let v = s[p]
            let single = atomStart[k + 1] - p == 1 && v < 0x10000
            sym[k + 2] = switch atomKind[k] {
            case Self.han: single ? UInt16(v) : Model.symbolRareHan
            case Token.Kind.number.rawValue: Model.symbolNumber
            case Token.Kind.latin.rawValue: Model.symbolLatin
            case Token.Kind.punctuation.rawValue: single ? UInt16(v) : Model.symbolPunctuation
            case Token.Kind.word.rawValue: Model.symbolScript
            default: Model.symbolOther
            }
        }
    }

    /// Runs the model over the lattice's best path (`path[0..<pathCount]`, ends of tokens from
    /// the last): finds the windows (runs of free tokens that are unsure or next to an unsure
    /// one; their edges are word boundaries), fills the model's input only there and next to
    /// them, and leaves the model's tags of the window atoms in `modelTags`. Sets `tokenEnd` at
    /// the start of every lattice token. Returns the number of windows (in `modelWindows`).
    ///
    /// Measured: filling the input of every atom and walking every atom's tag to emit cost about
    /// a third of the lattice's time (DESIGN.md §4a); outside the windows only token ends are kept.
    func runModel(_ model: SegmentationModel, _ input: ModelInput, pathCount: Int) -> Int {
        let m = atomCount
        // Token t (in text order) is atoms `start(t) ..< path[count - 1 - t]`; its class is at
        // `classes[t]`, with zeros (fixed) before the first and after the last.
        let count = pathCount
        @inline(__always) func start(_ t: Int) -> Int { t == 0 ? 0 : Int(path[count - t]) }
        let classes = tokenClass + 1
        classes[-1] = 0
        classes[count] = 0
        classes[count + 1] = 0
        for t in 0..<count {
            let from = start(t), to = Int(path[count - 1 - t])
            tokenEnd[from] = Int32(to)
            classes[t] = UInt8(truncatingIfNeeded: runClass(from, to))
        }
        // A token is in a window when it is free and it or a neighbour is unsure (`near`), but
        // for a kept word: it is in one only next to a token of a window that may join it, one
        // that is neither a kept word nor a kept character (the tokens of the first rule
        // decide, so kept words do not pull each other in). Without a branch: `near` of t + 1
        // is known before t is decided. Each token writes its start at `modelWindows[n]`, and
        // `n` moves on only where a window starts or ends, so the array holds the windows'
        // starts and ends in turn.
        @inline(__always) func near(_ t: Int) -> Int {
            let c = Int(classes[t])
            let unsureNear = (c | Int(classes[t - 1]) | Int(classes[t + 1])) >> 1
            return c & unsureNear & ~(c >> 3) & Self.modelFree
        }
        // Whether token u, in a window by the first rule, may join a kept word next to it.
        @inline(__always) func mayJoin(_ u: Int, near: Int) -> Int {
            let c = Int(classes[u])
            return near & ((c >> 2) | ~(c >> 1)) & 1
        }
        var n = 0
        var previousIn = 0
        var nearPrevious = 0, nearCurrent = near(0)
        for t in 0..<count {
            let nearNext = near(t + 1)
            let c = Int(classes[t])
            let keptWord = c >> 3 & c & 1
            let joinable = mayJoin(t - 1, near: nearPrevious) | mayJoin(t + 1, near: nearNext)
            let inWindow = keptWord != 0 ? joinable : nearCurrent
            modelWindows[n] = Int32(start(t))
            n += inWindow ^ previousIn
            previousIn = inWindow
            nearPrevious = nearCurrent
            nearCurrent = nearNext
        }
        modelWindows[n] = Int32(m)
        n += n & 1
        // Which windows have a kept word next to them (`SegmentationModel.decode`'s `edges`);
        // and a window of one atom needs no model: between two word boundaries it can only be
        // S, the lattice's own token (kept words bound more windows so).
        var windowCount = 0
        for w in 0..<(n / 2) {
            let a = Int(modelWindows[2 * w]), b = Int(modelWindows[2 * w + 1])
            modelWindows[2 * windowCount] = Int32(a)
            modelWindows[2 * windowCount + 1] = Int32(b)
            let after = a > 0 && runClass(Int(back[a]), a) & Self.modelKeeps != 0
            let before = b < m && runClass(b, Int(tokenEnd[b])) & Self.modelKeeps != 0
            modelWindowEdges[windowCount] = (after ? SegmentationModel.afterWord : 0) | (before ? SegmentationModel.beforeWord : 0)
            windowCount += b - a > 1 ? 1 : 0
        }
        guard windowCount > 0 else { return 0 }
        // The model's input of the windows' tokens, the lattice's tags next to each window
        // (the context features read them), and the symbols two atoms on each side.
        for w in 0..<windowCount {
            let a = Int(modelWindows[2 * w]), b = Int(modelWindows[2 * w + 1])
            var k = a
            var whole = false
            while k < b {
                let to = Int(tokenEnd[k])
                fillToken(input, k, to)
                if joinableDomainWords && isWholeDomainWord(k, to) {
                    markWhole(input, k, to)
                    whole = true
                }
                k = to
            }
            if whole { modelWindowEdges[w] |= SegmentationModel.holdsWholeWord }
            if a > 0 { input.latticeTag[a - 1] = a - Int(back[a]) == 1 ? SegmentationModel.tagS : SegmentationModel.tagE }
            if b < m { input.latticeTag[b] = Int(tokenEnd[b]) - b == 1 ? SegmentationModel.tagS : SegmentationModel.tagB }
            fillSymbols(input, atoms: max(0, a - 2)..<min(m, b + 2))
        }
        model.decode(input, count: m, windows: modelWindows, edges: modelWindowEdges, windowCount: windowCount, scores: modelScores, back: modelBack, tags: modelTags)
        if let observeWindowWords { observeWords(windowCount: windowCount, observeWindowWords) }
        if let observeWindows {
            for w in 0..<windowCount { observeWindows(atomStart[Int(modelWindows[2 * w])]..<atomStart[Int(modelWindows[2 * w + 1])]) }
        }
        return windowCount
    }

    static let plainLexiconRules: Set<UInt8> = [LexiconLayer.domain, .icu, .general].reduce(into: []) { $0.insert(ruleLexicon + $1.rawValue) }

    /// Hands `body` each plain lexicon word (domain, ICU or general layer) of 2+ atoms in the
    /// windows, with whether the model's tags keep it whole (B M… E), and each single character
    /// of the lattice there, with whether the model keeps it alone (S).
    func observeWords(windowCount: Int, _ body: (UnsafeBufferPointer<UInt32>, Bool) -> Void) {
        let plain = Self.plainLexiconRules
        for w in 0..<windowCount {
            var k = Int(modelWindows[2 * w])
            let b = Int(modelWindows[2 * w + 1])
            while k < b {
                let to = Int(tokenEnd[k])
                defer { k = to }
                if to - k == 1 && ruleCode(to) == Self.ruleSingle && atomStart[to] - atomStart[k] == 1 {
                    body(UnsafeBufferPointer(rebasing: s[atomStart[k]..<atomStart[to]]), modelTags[k] == SegmentationModel.tagS)
                    continue
                }
                guard to - k >= 2, plain.contains(ruleCode(to)) else { continue }
                var whole = modelTags[k] == SegmentationModel.tagB && modelTags[to - 1] == SegmentationModel.tagE
                for q in (k + 1)..<(to - 1) where modelTags[q] != SegmentationModel.tagM { whole = false }
                body(UnsafeBufferPointer(rebasing: s[atomStart[k]..<atomStart[to]]), whole)
            }
        }
    }

    /// Emits the lattice's tokens outside the `windowCount` windows and the tokens of the
    /// model's tags inside them; a token the lattice had too keeps its rule.
    func emitModelTokens<Sink: SpanSink>(windowCount: Int, search: Bool, _ body: inout Sink) {
        let m = atomCount
        let input = modelInput!
        var k = 0
        var w = 0
        var windowEnd = -1
        var nextWindow = windowCount > 0 ? Int(modelWindows[0]) : m
        while k < m {
            if k == nextWindow {
                windowEnd = Int(modelWindows[2 * w + 1])
                w += 1
                nextWindow = w < windowCount ? Int(modelWindows[2 * w]) : m
            }
            guard k < windowEnd else {
                let to = Int(tokenEnd[k])
                emitLatticeToken(k, to, search: search, &body)
                k = to
                continue
            }
            let latticeStart = input.latticeTag[k] == SegmentationModel.tagB || input.latticeTag[k] == SegmentationModel.tagS
            if latticeStart, case let latticeEnd = Int(tokenEnd[k]), isPersonName(k, latticeEnd) {
                // Kept whole whatever the model's tags (the next token starts at its end).
                emitLatticeToken(k, latticeEnd, search: search, personName: true, &body)
                k = latticeEnd
                continue
            }
            var last = k
            while modelTags[last] != SegmentationModel.tagE && modelTags[last] != SegmentationModel.tagS { last += 1 }
            let to = last + 1
            if latticeStart && Int(tokenEnd[k]) == to {
                emitLatticeToken(k, to, search: search, &body)
            } else {
                let range = atomStart[k]..<atomStart[to]
                if search && range.count >= 3 { emitSubwords(range, &body) }
                body.span(range, .word, .model)
            }
            k = to
        }
    }

    /// Emits the lattice's token of atoms `from..<to` (with its sub-words in search mode).
    @inline(__always)
    func emitLatticeToken<Sink: SpanSink>(_ from: Int, _ to: Int, search: Bool, personName: Bool = false, _ body: inout Sink) {
        let range = atomStart[from]..<atomStart[to]
        let kind = Token.Kind(rawValue: backKind[to])!
        if search && range.count >= 3 && (kind == .word || kind == .formula) {
            emitSubwords(range, &body)
        }
        var rule = Self.rule(ruleCode(to), cost: backCost[to])
        if personName, case .lexicon(let layer, let cost) = rule { rule = .personName(layer, cost: cost) }
        emit(range, kind, rule, &body)
    }

    /// Whether the lattice's token of atoms `from..<to` is a lexicon word of `person_names.txt`
    /// (2–4 Han characters, one per atom). Most tokens fail the first-character bit.
    @inline(__always)
    func isPersonName(_ from: Int, _ to: Int) -> Bool {
        let length = to - from
        guard length >= 2 && length <= 4, ruleCode(to) >= Self.ruleLexicon else { return false }
        let p = atomStart[from]
        let names = segmenter.personNames
        guard atomStart[to] - p == length, names.mayStart(s[p]) else { return false }
        return names.contains(s[p..<(p + length)])
    }
}

/// One stretch as the model sees it, filled by the lattice: per atom its symbol (padded by two
/// on each side), the lattice's tag, the rule and length (in atoms) of its lattice token, the
/// longest lexicon words starting and ending at it, and its fixed tag (`SegmentationModel.free`
/// when the model chooses).
struct ModelInput {
    let symbols: UnsafeMutablePointer<UInt16>
    /// Work space of `SegmentationModel.decode`: each slot's row in the model's symbol table.
    let symbolRows: UnsafeMutablePointer<UInt16>
    let latticeTag: UnsafeMutablePointer<UInt8>
    let ruleClass: UnsafeMutablePointer<UInt8>
    let tokenLength: UnsafeMutablePointer<UInt8>
    let startLength: UnsafeMutablePointer<UInt8>
    let endLength: UnsafeMutablePointer<UInt8>
    let fixed: UnsafeMutablePointer<UInt8>
    /// Tags the model may not give the atom (bit per tag, `SegmentationModel.forbidFirst` …):
    /// set by `Lattice.markWhole` in a window, read and set back to 0 by `SegmentationModel.decode`.
    let forbidden: UnsafeMutablePointer<UInt8>
    /// Work space of `SegmentationModel.decode`: the weight row of each slot's adjacent pair
    /// (slot, slot + 1), and of each atom's pair (i-1, i+1).
    let pairRows: UnsafeMutablePointer<UnsafeMutablePointer<Int16>>
    let skipRows: UnsafeMutablePointer<UnsafeMutablePointer<Int16>>

    init(capacity: Int, in buffers: BufferArena) {
        symbols = buffers.allocate(count: capacity + 4)
        symbolRows = buffers.allocate(count: capacity + 4)
        latticeTag = buffers.allocate(count: capacity)
        ruleClass = buffers.allocate(count: capacity)
        tokenLength = buffers.allocate(count: capacity)
        startLength = buffers.allocate(count: capacity)
        endLength = buffers.allocate(count: capacity)
        fixed = buffers.allocate(count: capacity)
        forbidden = buffers.allocate(repeating: 0, count: capacity)
        pairRows = buffers.allocate(count: capacity + 4)
        skipRows = buffers.allocate(count: capacity)
    }
}
