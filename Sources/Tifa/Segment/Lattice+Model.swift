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
    static let fixedKinds: UInt64 = 1 << Token.Kind.formula.rawValue | 1 << Token.Kind.number.rawValue
    static let unsureRules: UInt64 = 1 << ruleSuffix | 1 << ruleTransliteration | 1 << ruleNameDot
    static let unsureSingleRules: UInt64 = 1 << ruleSingle | 1 << ruleUnknown

    /// How the model sees the lattice's token `from..<to` (atoms): `modelFree` unless it is
    /// fixed (a forced phrase, a user word, a number or numeral pattern, or a token with a
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
    /// cost PKU F1 another 0.004, below the target (DESIGN.md §4a).
    static let minimumWholeDomainLength = 5
    static let domainRule = ruleLexicon + LexiconLayer.domain.rawValue

    /// `modelClass` at run time: a domain word of `minimumWholeDomainLength`+ atoms is fixed.
    @inline(__always) func runClass(_ from: Int, _ to: Int) -> Int {
        let wholeDomainWord = backRule[to] == Self.domainRule && to - from >= Self.minimumWholeDomainLength
        return wholeDomainWord ? 0 : modelClass(from, to)
    }

    /// The model's input of the atoms of the lattice token `from..<to`, but for their fixed
    /// tags (only a trainer reads them: the windows the model decodes have no fixed atom).
    @inline(__always) func fillToken(_ input: ModelInput, _ from: Int, _ to: Int) {
        typealias Model = SegmentationModel
        let rule = backRule[to]
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
        // A token is in a window when it is free and it or a neighbour is unsure. Without a
        // branch: each token writes its start at `modelWindows[n]`, and `n` moves on only
        // where a window starts or ends, so the array holds the windows' starts and ends in
        // turn.
        var n = 0
        var c = pathCount - 1
        var from = 0
        var to = Int(path[c])
        var current = runClass(from, to)
        var previousUnsure = 0
        var previousIn = 0
        while true {
            tokenEnd[from] = Int32(to)
            var next = 0, nextTo = to
            if c > 0 {
                c -= 1
                nextTo = Int(path[c])
                next = runClass(to, nextTo)
            }
            let inWindow = current & Self.modelFree & ((current | previousUnsure | next) >> 1)
            modelWindows[n] = Int32(from)
            n += inWindow ^ previousIn
            if to >= m { break }
            previousIn = inWindow
            previousUnsure = current & Self.modelUnsure
            current = next
            from = to
            to = nextTo
        }
        modelWindows[n] = Int32(m)
        n += n & 1
        let windowCount = n / 2
        guard windowCount > 0 else { return 0 }
        // The model's input of the windows' tokens, the lattice's tags next to each window
        // (the context features read them), and the symbols two atoms on each side.
        for w in 0..<windowCount {
            let a = Int(modelWindows[2 * w]), b = Int(modelWindows[2 * w + 1])
            var k = a
            while k < b {
                let to = Int(tokenEnd[k])
                fillToken(input, k, to)
                k = to
            }
            if a > 0 { input.latticeTag[a - 1] = a - Int(back[a]) == 1 ? SegmentationModel.tagS : SegmentationModel.tagE }
            if b < m { input.latticeTag[b] = Int(tokenEnd[b]) - b == 1 ? SegmentationModel.tagS : SegmentationModel.tagB }
            fillSymbols(input, atoms: max(0, a - 2)..<min(m, b + 2))
        }
        model.decode(input, count: m, windows: modelWindows, windowCount: windowCount, scores: modelScores, back: modelBack, tags: modelTags)
        return windowCount
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
        var rule = Self.rule(backRule[to], cost: backCost[to])
        if personName, case .lexicon(let layer, let cost) = rule { rule = .personName(layer, cost: cost) }
        emit(range, kind, rule, &body)
    }

    /// Whether the lattice's token of atoms `from..<to` is a lexicon word of `person_names.txt`
    /// (2–4 Han characters, one per atom). Most tokens fail the first-character bit.
    @inline(__always)
    func isPersonName(_ from: Int, _ to: Int) -> Bool {
        let length = to - from
        guard length >= 2 && length <= 4, backRule[to] >= Self.ruleLexicon else { return false }
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
        pairRows = buffers.allocate(count: capacity + 4)
        skipRows = buffers.allocate(count: capacity)
    }
}
