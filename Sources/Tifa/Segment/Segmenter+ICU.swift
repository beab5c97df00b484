extension Segmenter {
    /// `Mode.icuOnly`: ICU's word breaks, line by line (so a long text is never converted to
    /// UTF-16 whole), with kinds from ICU's rule status and the characters.
    func icuSpans(_ text: NormalizedText, _ body: (Range<Int>, Token.Kind, SpanRule) -> Void) {
        let scalars = text.scalars
        // ICU iterators are not thread-safe; one per call keeps the segmenter shareable.
        // `Segmenter.init` opened one already, so the fallback below is for the impossible case.
        guard let breaker = try? ICUWordBreaker() else {
            for i in scalars.indices { body(i..<(i + 1), Self.kind(of: scalars[i...i], status: .none), .icu) }
            return
        }
        var lineStart = 0
        while lineStart < scalars.count {
            var lineEnd = lineStart
            while lineEnd < scalars.count && scalars[lineEnd] != "\n" && lineEnd - lineStart < 1 << 16 { lineEnd += 1 }
            if lineEnd > lineStart {
                let line = scalars[lineStart..<lineEnd].lazy.map(\.value)
                let bounds = (try? breaker.boundaries(scalars: line)) ?? [(lineEnd - lineStart, .none)]
                var from = lineStart
                for (offset, status) in bounds {
                    let to = lineStart + offset
                    if to > from { body(from..<to, Self.kind(of: scalars[from..<to], status: status), .icu) }
                    from = to
                }
            }
            if lineEnd < scalars.count && scalars[lineEnd] == "\n" {
                body(lineEnd..<(lineEnd + 1), .whitespace, .icu)
                lineEnd += 1
            }
            lineStart = lineEnd
        }
    }

    static func kind(of span: ArraySlice<Unicode.Scalar>, status: ICUWordBreaker.Status) -> Token.Kind {
        let c = CharacterClass.of(span.first!.value)
        switch status {
        case .number: return .number
        case .kana, .ideographic: return .word
        case .letter: return c.contains(.han) ? .word : .latin
        case .none:
            if c.contains(.space) || c.contains(.newline) { return .whitespace }
            if c.contains(.punctuation) { return .punctuation }
            if c.contains(.han) { return .word }
            if c.contains(.letter) { return .latin }
            return .symbol
        }
    }
}
