import CFuzzer
import Foundation
import Tifa

/// Runs libFuzzer with the process's arguments; `body` gets each input. State a target loads once
/// (dictionaries, segmenter) lives in its globals, so each input costs only the work under test.
public func runFuzzer(_ body: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Never {
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv, body))
}

/// Runs libFuzzer on targets whose first byte chooses the options: `body` gets that byte and
/// the rest of the input (empty inputs are skipped).
public func runFuzzer(optionByte body: @escaping (_ options: UInt8, _ rest: ArraySlice<UInt8>) -> Void) -> Never {
    optionByteBody = body
    runFuzzer { data, size in
        guard let data, size > 0 else { return 0 }
        let input = Array(UnsafeBufferPointer(start: data, count: size))
        optionByteBody(input[0], input.dropFirst())
        return 0
    }
}

// A C callback captures nothing: the body waits here (set once, before libFuzzer starts).
private var optionByteBody: (UInt8, ArraySlice<UInt8>) -> Void = { _, _ in }

/// The user dictionary the segmentation targets load (`Fuzz/Data/user_dictionary.txt`, also a
/// seed of FuzzDictionaries): the forms that stress the segmenter.
public let userDictionary = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../Data/user_dictionary.txt").standardized

/// Checks what every `NormalizedText` promises: one offset per scalar plus the end, offsets
/// non-decreasing and within the original.
public func checkOffsets(_ text: NormalizedText, originalCount: Int) {
    precondition(text.sourceOffsets.count == text.scalars.count + 1, "offset table size")
    var previous = text.sourceOffsets.first ?? 0
    for o in text.sourceOffsets {
        precondition(o >= previous, "offsets go backwards")
        precondition(o >= 0 && o <= originalCount, "offset \(o) outside the original (\(originalCount))")
        previous = o
    }
}

/// A private scratch folder for targets that must hand a file to the code under test.
public let scratchDirectory: URL = {
    let base = ProcessInfo.processInfo.environment["TMPDIR"] ?? (FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : "/tmp")
    let url = URL(fileURLWithPath: base).appendingPathComponent("tifa-fuzz-\(getpid())")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    atexit { removeScratchDirectory() }
    return url
}()

private func removeScratchDirectory() {
    try? FileManager.default.removeItem(at: scratchDirectory)
}

/// Writes the input to `name` in the scratch folder and returns its URL.
public func scratchFile(_ name: String, _ bytes: ArraySlice<UInt8>) -> URL {
    // Plain POSIX writes: FileManager.createFile writes atomically and syncs, 10 ms an input.
    let url = scratchDirectory.appendingPathComponent(name)
    let fd = open(url.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    precondition(fd >= 0, "cannot write \(url.path)")
    let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    close(fd)
    precondition(written == bytes.count, "short write to \(url.path)")
    return url
}

/// Loading failures of the shipped data are setup errors, not findings: stop at once.
public func loadOrDie<T>(_ what: String, _ body: () throws -> T) -> T {
    do { return try body() } catch {
        FileHandle.standardError.write(Data("fuzz: cannot load \(what): \(error)\n".utf8))
        exit(2)
    }
}
