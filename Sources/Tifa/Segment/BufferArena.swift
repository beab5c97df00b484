/// Plain work buffers for the hot loops of the lattice and the model (no reference counting or
/// uniqueness checks, unlike arrays), carved out of a few large allocations and freed together
/// when the arena goes. Small buffers share a chunk, so a lattice over one short sentence (the
/// library called per sentence) costs one allocation, not twenty.
final class BufferArena {
    private var chunks: [UnsafeMutableRawPointer] = []
    private var next: UnsafeMutableRawPointer?
    private var left = 0
    static let chunkBytes = 16 << 10

    init() {}

    /// `count` uninitialized elements (room for at least one), aligned to a cache line.
    func allocate<T>(_ type: T.Type = T.self, count: Int) -> UnsafeMutablePointer<T> {
        let bytes = (max(count, 1) * MemoryLayout<T>.stride + 63) & ~63
        if bytes > left {
            let size = max(bytes, Self.chunkBytes)
            let chunk = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 64)
            chunks.append(chunk)
            next = chunk
            left = size
        }
        let p = next!
        next = p + bytes
        left -= bytes
        return p.bindMemory(to: T.self, capacity: max(count, 1))
    }

    /// `count` elements set to `value`.
    func allocate<T>(repeating value: T, count: Int) -> UnsafeMutablePointer<T> {
        let p = allocate(T.self, count: count)
        p.initialize(repeating: value, count: count)
        return p
    }

    deinit {
        for chunk in chunks { chunk.deallocate() }
    }
}
