import ArgumentParser
import Tifa

/// How input bytes are decoded; shared by every command that reads text.
struct DecodingFlags: ParsableArguments {
    @Option(name: .long, help: "Input encoding (utf-8, utf-16le, utf-16be, gb18030, gbk, gb2312, big5); detected when omitted.")
    var encoding: String?

    @Flag(name: .long, help: "Fail on the first invalid byte sequence instead of replacing it with U+FFFD.")
    var strict = false

    var options: DecodingOptions {
        DecodingOptions(encoding: encoding.map(TextEncoding.init(name:)), strict: strict)
    }
}

/// Which normalization steps run; shared by every command that normalizes.
struct NormalizationFlags: ParsableArguments {
    @Flag(name: .customLong("no-t2s"), help: "Keep traditional characters.")
    var noT2S = false
    @Flag(name: .customLong("no-width"), help: "Keep full-width letters and digits.")
    var noWidth = false
    @Flag(name: .customLong("no-artifacts"), help: "Keep pinyin annotations and zero-width characters.")
    var noArtifacts = false
    @Flag(name: .customLong("no-whitespace"), help: "Keep whitespace as it is.")
    var noWhitespace = false
    @Flag(name: .customLong("keep-chrome"), help: "Keep the furniture of scraped web pages (breadcrumbs, 上一篇/下一篇, share bars, source and copyright lines, footers).")
    var keepChrome = false
    @Flag(name: .customLong("drop-garbled"), help: "Remove runs of garbled text (mojibake, wrong-codec text); they are reported either way.")
    var dropGarbled = false

    var options: Normalizer.Options {
        var steps = Normalizer.Steps.standard
        if noT2S { steps.remove(.traditionalToSimplified) }
        if noWidth { steps.remove(.width) }
        if noArtifacts { steps.remove(.webArtifacts) }
        if noWhitespace { steps.remove(.whitespace) }
        if keepChrome { steps.remove(.webChrome) }
        if dropGarbled { steps.insert(.dropGarbledText) }
        return Normalizer.Options(steps: steps)
    }
}

enum InputFiles {
    /// Runs `body` with a decoder for each path, or for stdin when `paths` is empty, and warns
    /// about replaced bytes once each file is done.
    static func forEach(_ paths: [String], decoding: DecodingOptions, _ body: (TextDecoder) throws -> Void) throws {
        let sources: [() throws -> (ByteSource, String)] = paths.isEmpty
            ? [{ (FileByteSource(standardInput: ()), "<stdin>") }]
            : paths.map { p in { (try FileByteSource(path: p), p) } }
        for open in sources {
            let (source, name) = try open()
            let decoder = TextDecoder(source: source, name: name, options: decoding)
            try body(decoder)
            warnAboutReplacements(decoder)
        }
    }

    static func warnAboutReplacements(_ decoder: TextDecoder) {
        let r = decoder.report
        guard r.replacements > 0 else { return }
        Diagnostics.warning("\(decoder.name): \(r.replacements) invalid \(r.encoding) byte sequence\(r.replacements == 1 ? "" : "s") replaced with U+FFFD (first at byte offset \(r.firstInvalidByteOffset ?? 0))")
    }
}
