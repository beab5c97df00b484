import CICU

/// Decoding: the features of the window atoms, their scores, and Viterbi over B M E S.
extension SegmentationModel {
    /// Tags the atoms of each window (`windows[2w] ..< windows[2w + 1]`) of the `m` atoms of
    /// `input` into `tags` (B M E S); windows start and end on word boundaries and hold no
    /// fixed atom (`Lattice.runModel`), so `input.fixed` is not read. `scores` holds at least 4 × m entries of work space, `back` at least m.
    ///
    /// Memory first: every table slot and row the windows will read is requested before the
    /// first is read, so the cache misses of the whole stretch overlap instead of following one
    /// another (measured: the misses, not the arithmetic, are the model's cost).
    ///
    /// `edges[w]` says what stands next to window w: `afterWord` (bit 0) when the token before
    /// it is a word the model keeps whole, `beforeWord` (bit 1) when the token after it is one.
    /// The window is then scored as if that word were part of it with its tags fixed (B M… E):
    /// its first atom comes from E rather than from the start of a sequence, its last goes into
    /// B, so the tags are those a window holding the word would get wherever the word stays whole.
    func decode(_ input: ModelInput, count m: Int, windows: UnsafePointer<Int32>, edges: UnsafePointer<UInt8>, windowCount: Int,
                scores: UnsafeMutablePointer<Int64>, back: UnsafeMutablePointer<UInt8>, tags: UnsafeMutablePointer<UInt8>) {
        let sym = input.symbols, row = input.symbolRows  // padded: atom i is at slot i + 2
        let symbolIndex = self.symbolIndex
        for w in 0..<windowCount {
            let a = Int(windows[2 * w]), b = Int(windows[2 * w + 1])
            for slot in a..<(b + 4) {
                let r = symbolIndex[Int(sym[slot])]
                row[slot] = r
                let p = symbols + Int(r) &* Self.symbolRow
                tifa_prefetch(p); tifa_prefetch(p + (Self.symbolRow - 1))
            }
            for slot in a..<(b + 3) { pairs.prefetch(Self.pairKey(row[slot], row[slot + 1])) }
            for i in a..<b { skips.prefetch(Self.pairKey(row[i + 1], row[i + 3])) }
        }
        // Each pair looked up once: it serves 4 atoms. Its row is requested for the scoring.
        for w in 0..<windowCount {
            let a = Int(windows[2 * w]), b = Int(windows[2 * w + 1])
            for slot in a..<(b + 3) {
                let p = pairs.row(Self.pairKey(row[slot], row[slot + 1]))
                input.pairRows[slot] = p
                tifa_prefetch(p)
            }
            for i in a..<b {
                let p = skips.row(Self.pairKey(row[i + 1], row[i + 3]))
                input.skipRows[i] = p
                tifa_prefetch(p)
            }
        }
        for w in 0..<windowCount {
            decode(input, count: m, window: Int(windows[2 * w])..<Int(windows[2 * w + 1]), edges: edges[w], scores: scores, back: back, tags: tags)
        }
    }

    /// Scores one window whose pair rows are resolved, and runs Viterbi over it.
    static let afterWord: UInt8 = 1, beforeWord: UInt8 = 2
    /// In `edges`: the window holds a word the model must not cut (`ModelInput.forbidden`).
    static let holdsWholeWord: UInt8 = 4

    /// `ModelInput.forbidden` of the atoms of a word the model must not cut: no word ends
    /// inside it and none starts inside it (tag bits B 1, M 2, E 4, S 8).
    static let forbidFirst: UInt8 = 4 | 8, forbidMiddle: UInt8 = 1 | 4 | 8, forbidLast: UInt8 = 1 | 8
    static let forbiddenPenalty: Int64 = 1 << 40

    private func decode(_ input: ModelInput, count m: Int, window: Range<Int>, edges: UInt8, scores: UnsafeMutablePointer<Int64>, back: UnsafeMutablePointer<UInt8>, tags: UnsafeMutablePointer<UInt8>) {
        let sym = input.symbolRows
        let symbols = self.symbols
        let context = self.context
        let pairRows = input.pairRows, skipRows = input.skipRows
        let first = window.lowerBound
        for i in window {
            let c = sym + i + 2
            let row0 = symbols + Int(c[0]) &* Self.symbolRow
            let ctx = Self.contextRows(input, i, m)
            // Symbols at i-2 … i+2: position d's weights are at (d + 2) × 4 of that symbol's row.
            // Adjacent pairs (i-2,i-1) (i-1,i) (i,i+1) (i+1,i+2) start at slots i … i+3.
            let rows: (UnsafeMutablePointer<Int16>, UnsafeMutablePointer<Int16>, UnsafeMutablePointer<Int16>, UnsafeMutablePointer<Int16>, UnsafeMutablePointer<Int16>,
                       UnsafeMutablePointer<Int16>, UnsafeMutablePointer<Int16>, UnsafeMutablePointer<Int16>, UnsafeMutablePointer<Int16>, UnsafeMutablePointer<Int16>,
                       UnsafeMutablePointer<Int16>, UnsafeMutablePointer<Int16>, UnsafeMutablePointer<Int16>, UnsafeMutablePointer<Int16>, UnsafeMutablePointer<Int16>,
                       UnsafeMutablePointer<Int16>) = (
                symbols + Int(c[-2]) &* Self.symbolRow, symbols + Int(c[-1]) &* Self.symbolRow + 4, row0 + 8,
                symbols + Int(c[1]) &* Self.symbolRow + 12, symbols + Int(c[2]) &* Self.symbolRow + 16,
                row0 + 20 + Int(input.latticeTag[i]) &* 4,
                pairRows[i], pairRows[i + 1] + 4, pairRows[i + 2] + 8, pairRows[i + 3] + 12, skipRows[i],
                context + ctx.0 &* 4, context + ctx.1 &* 4, context + ctx.2 &* 4, context + ctx.3 &* 4, context + ctx.4 &* 4)
            withUnsafePointer(to: rows) { r in
                r.withMemoryRebound(to: UnsafePointer<Int16>?.self, capacity: 16) { r in
                    tifa_sum_rows(scores + 4 * (i - first), r)
                }
            }
        }
        // A tag forbidden to an atom (`ModelInput.forbidden`) scores far below any path: every
        // path has a score of magnitude below 2^32 (2^20 an atom, `Lattice.maxAtoms` atoms), and
        // the penalties of a whole window stay far above `viterbiFree`'s sentinel.
        if edges & Self.holdsWholeWord != 0 {
            let forbidden = input.forbidden
            for i in window where forbidden[i] != 0 {
                let f = forbidden[i], x = scores + 4 * (i - first)
                for tag in 0..<4 where f >> tag & 1 != 0 { x[tag] &-= Self.forbiddenPenalty }
                forbidden[i] = 0
            }
        }
        transitions.withUnsafeBufferPointer { t in
            Self.viterbiFree(window.count, scores: scores, transitions: t.baseAddress!, edges: edges, back: back, tags: tags + first)
        }
    }

    /// `viterbi` for a window whose atoms are all free (the lattice fixes no atom inside a
    /// window, `Lattice.runModel`), without its branches: only the first atom's M and E are
    /// impossible, and a sentinel far below any path's score (|score| < 2^40 per atom, at most
    /// `Lattice.maxAtoms` atoms) loses every comparison at the second atom exactly as
    /// `impossible` does there, so the tags are the same. Measured: the branches on
    /// `impossible` and `fixed` were about half of Viterbi's time (DESIGN.md §4a).
    /// `edges` as in `decode`: after a kept word the first atom comes from E, before one the
    /// last goes into B.
    static func viterbiFree(_ m: Int, scores: UnsafePointer<Int64>, transitions t: UnsafePointer<Int64>, edges: UInt8,
                            back: UnsafeMutablePointer<UInt8>, tags: UnsafeMutablePointer<UInt8>) {
        guard m > 0 else { return }
        let impossible = Int64.min / 4
        let (tEB, tSB, tES, tSS) = (t[2 * 4 + 0], t[3 * 4 + 0], t[2 * 4 + 3], t[3 * 4 + 3])
        let (tBM, tMM, tBE, tME) = (t[0 * 4 + 1], t[1 * 4 + 1], t[0 * 4 + 2], t[1 * 4 + 2])
        let afterWord = edges & afterWord != 0
        var b = (afterWord ? tEB : t[16]) &+ scores[0]
        var mm = impossible
        var e = impossible
        var s = (afterWord ? tES : t[19]) &+ scores[3]
        var i = 1
        while i < m {
            let x = scores + 4 * i
            let bFromE = e &+ tEB, bFromS = s &+ tSB
            let sFromE = e &+ tES, sFromS = s &+ tSS
            let mFromB = b &+ tBM, mFromM = mm &+ tMM
            let eFromB = b &+ tBE, eFromM = mm &+ tME
            let bS = bFromS > bFromE, mM = mFromM > mFromB, eM = eFromM > eFromB, sS = sFromS > sFromE
            back[i] = (bS ? 1 : 0) | (mM ? 2 : 0) | (eM ? 4 : 0) | (sS ? 8 : 0)
            b = (bS ? bFromS : bFromE) &+ x[0]
            mm = (mM ? mFromM : mFromB) &+ x[1]
            e = (eM ? eFromM : eFromB) &+ x[2]
            s = (sS ? sFromS : sFromE) &+ x[3]
            i += 1
        }
        if edges & beforeWord != 0 {
            s = s &+ tSB
            e = e &+ tEB
        }
        backtrack(m, last: s >= e ? tagS : tagE, back: back, tags: tags)
    }

    /// Follows Viterbi's back pointers from the last atom's tag: bit `tag` of an atom's back
    /// pointer chooses its tag's predecessor, S or E before B and S, M or B before M and E.
    /// Arithmetic rather than a switch: the tags follow no pattern a branch predictor learns.
    @inline(__always)
    static func backtrack(_ m: Int, last: UInt8, back: UnsafePointer<UInt8>, tags: UnsafeMutablePointer<UInt8>) {
        var tag = last
        var i = m - 1
        while true {
            tags[i] = tag
            if i == 0 { break }
            let chosen = back[i] &>> tag & 1
            // B (0) and S (3) come after E (2) or S (3); M (1) and E (2) after B (0) or M (1).
            let afterEnd = (tag &+ 1) & 2 ^ 2
            tag = chosen | afterEnd
            i -= 1
        }
    }

    /// The 5 lattice-context rows of atom i (indices into the context table).
    @inline(__always)
    static func contextRows(_ input: ModelInput, _ i: Int, _ m: Int) -> (Int, Int, Int, Int, Int) {
        let tag = input.latticeTag
        let before = i > 0 ? Int(tag[i - 1]) : 4
        let after = i + 1 < m ? Int(tag[i + 1]) : 4
        let t = Int(tag[i])
        let tags = (before * 5 + t) * 5 + after
        let rule = contextRule + (Int(input.ruleClass[i]) * 4 + t) * 4 + min(Int(input.tokenLength[i]), 4) - 1
        let start = Int(input.startLength[i]), end = Int(input.endLength[i])
        let lengths = contextLengths + start * lengthValues + end
        let endBefore = i > 0 ? Int(input.endLength[i - 1]) : 0
        let startAfter = i + 1 < m ? Int(input.startLength[i + 1]) : 0
        return (tags, rule, lengths, contextBefore + endBefore * lengthValues + start, contextAfter + end * lengthValues + startAfter)
    }

    /// First-order Viterbi over the legal tag sequences (B/M → M/E, E/S → B/S; start B/S, end
    /// E/S), with fixed atoms restricted to their tag.
    static func viterbi<S: Comparable & AdditiveArithmetic>(_ m: Int, scores: UnsafePointer<S>, transitions t: UnsafePointer<S>,
                                                           fixed: UnsafePointer<UInt8>, impossible: S,
                                                           back: UnsafeMutablePointer<UInt8>, tags: UnsafeMutablePointer<UInt8>) {
        guard m > 0 else { return }
        @inline(__always) func allowed(_ i: Int, _ tag: UInt8) -> Bool { fixed[i] == free || fixed[i] == tag }
        @inline(__always) func plus(_ a: S, _ b: S) -> S { a == impossible ? impossible : a + b }
        // t[from * 4 + to]; t[16 + tag] for the first atom.
        var b = allowed(0, tagB) ? t[16] + scores[0] : impossible
        var mm = impossible
        var e = impossible
        var s = allowed(0, tagS) ? t[19] + scores[3] : impossible
        var i = 1
        while i < m {
            let x = scores + 4 * i
            // Into B or S: from E or S. Into M or E: from B or M.
            let bFromE = plus(e, t[2 * 4 + 0]), bFromS = plus(s, t[3 * 4 + 0])
            let sFromE = plus(e, t[2 * 4 + 3]), sFromS = plus(s, t[3 * 4 + 3])
            let mFromB = plus(b, t[0 * 4 + 1]), mFromM = plus(mm, t[1 * 4 + 1])
            let eFromB = plus(b, t[0 * 4 + 2]), eFromM = plus(mm, t[1 * 4 + 2])
            let nb: S, nm: S, ne: S, ns: S
            var bk: UInt8 = 0
            if bFromS > bFromE { nb = bFromS; bk |= 1 } else { nb = bFromE }
            if mFromM > mFromB { nm = mFromM; bk |= 2 } else { nm = mFromB }
            if eFromM > eFromB { ne = eFromM; bk |= 4 } else { ne = eFromB }
            if sFromS > sFromE { ns = sFromS; bk |= 8 } else { ns = sFromE }
            back[i] = bk
            b = allowed(i, tagB) ? plus(nb, x[0]) : impossible
            mm = allowed(i, tagM) ? plus(nm, x[1]) : impossible
            e = allowed(i, tagE) ? plus(ne, x[2]) : impossible
            s = allowed(i, tagS) ? plus(ns, x[3]) : impossible
            i += 1
        }
        // The last atom ends a word.
        backtrack(m, last: s >= e ? tagS : tagE, back: back, tags: tags)
    }
}
