/// The lattice's side of the trained model: what the model sees of a stretch, where it runs
/// (the windows), and the tokens of its tags.
extension Lattice {
    /// What the model sees of the current stretch, from the scanner's atoms and the lattice's
    /// best path (`path[0..<pathCount]`, ends of tokens from the last). The symbols only with
    /// `symbols`: a trainer needs them all, `runModel` fills those of its windows.
    func fillModelInput(_ input: ModelInput, pathCount: Int, symbols: Bool) {
        let m = atomCount
        typealias Model = SegmentationModel
        if symbols { fillSymbols(input, atoms: 0..<m) }
        var from = 0
        var c = pathCount
        while c > 0 {
            c -= 1
            let to = Int(path[c])
            let rule = backRule[to]
            let kind = backKind[to]
            var fixed = kind == Token.Kind.formula.rawValue || kind == Token.Kind.number.rawValue
                || rule == Self.ruleLexicon + LexiconLayer.user.rawValue || rule == Self.ruleLexicon + LexiconLayer.forcedPhrase.rawValue
            for k in from..<to where atomKind[k] != Self.han { fixed = true }
            let ruleClass = rule >= Self.ruleLexicon ? UInt8(min(Int(rule - Self.ruleLexicon) + 8, Model.ruleClasses - 1)) : rule
            let length = to - from
            for k in from..<to {
                let tag = length == 1 ? Model.tagS : k == from ? Model.tagB : k == to - 1 ? Model.tagE : Model.tagM
                input.latticeTag[k] = tag
                input.ruleClass[k] = ruleClass
                input.tokenLength[k] = UInt8(min(length, 255))
                input.fixed[k] = fixed ? tag : Model.free
                tokenEnd[k] = Int32(to)
            }
            from = to
        }
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

    /// Sets `modelTags` to the model's tags: the lattice's outside the windows, the model's
    /// inside them. A window is a run of free tokens that are unsure or next to an unsure one.
    func runModel(_ model: SegmentationModel, _ input: ModelInput) {
        let m = atomCount
        typealias Model = SegmentationModel
        for k in 0..<m { modelTags[k] = input.latticeTag[k] }
        @inline(__always) func isSingle(_ k: Int) -> Bool {
            k >= 0 && k < m && input.fixed[k] == Model.free && input.tokenLength[k] == 1 && (input.ruleClass[k] == Self.ruleSingle || input.ruleClass[k] == Self.ruleUnknown)
        }
        /// Whether the token starting at atom k is one the lattice may have wrong: a single
        /// character, a word + productive suffix, a transliterated name (see DESIGN.md for the
        /// measurements that chose this gate).
        @inline(__always) func unsure(_ k: Int) -> Bool {
            guard k >= 0 && k < m && input.fixed[k] == Model.free else { return false }
            let rule = input.ruleClass[k]
            return rule == Self.ruleSuffix || rule == Self.ruleTransliteration || isSingle(k)
        }
        var windowCount = 0
        var windowStart = -1
        var k = 0
        var previousUnsure = false
        var currentUnsure = unsure(0)
        while k < m {
            let next = Int(tokenEnd[k])
            let nextUnsure = next < m && unsure(next)
            let inWindow = input.fixed[k] == Model.free && (currentUnsure || previousUnsure || nextUnsure)
            if inWindow && windowStart < 0 { windowStart = k }
            if !inWindow && windowStart >= 0 {
                modelWindows[2 * windowCount] = Int32(windowStart)
                modelWindows[2 * windowCount + 1] = Int32(k)
                windowCount += 1
                windowStart = -1
            }
            previousUnsure = currentUnsure
            currentUnsure = nextUnsure
            k = next
        }
        if windowStart >= 0 {
            modelWindows[2 * windowCount] = Int32(windowStart)
            modelWindows[2 * windowCount + 1] = Int32(m)
            windowCount += 1
        }
        // Symbols only where the windows read them: two atoms on each side of each window.
        for w in 0..<windowCount {
            let a = Int(modelWindows[2 * w]), b = Int(modelWindows[2 * w + 1])
            fillSymbols(input, atoms: max(0, a - 2)..<min(m, b + 2))
        }
        model.decode(input, count: m, windows: modelWindows, windowCount: windowCount, scores: modelScores, back: modelBack, tags: modelTags)
    }

    /// Emits the tokens of the model's tags; a token the lattice had too keeps its rule.
    func emitModelTokens(search: Bool, _ body: (Range<Int>, Token.Kind, Segmenter.SpanRule) -> Void) {
        let m = atomCount
        let input = modelInput!
        var k = 0
        while k < m {
            var last = k
            while last + 1 < m && modelTags[last] != SegmentationModel.tagE && modelTags[last] != SegmentationModel.tagS { last += 1 }
            let to = last + 1
            let range = atomStart[k]..<atomStart[to]
            let sameAsLattice = Int(tokenEnd[k]) == to && (input.latticeTag[k] == SegmentationModel.tagB || input.latticeTag[k] == SegmentationModel.tagS)
            let kind = sameAsLattice ? Token.Kind(rawValue: backKind[to])! : .word
            if search && range.count >= 3 && (kind == .word || kind == .formula) {
                emitSubwords(range, body)
            }
            if sameAsLattice {
                emit(range, kind, Self.rule(backRule[to], cost: backCost[to]), body)
            } else {
                body(range, .word, .model)
            }
            k = to
        }
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
