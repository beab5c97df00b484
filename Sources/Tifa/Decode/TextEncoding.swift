/// A byte encoding of Chinese text that Tifa reads.
public enum TextEncoding: Hashable, Sendable, CustomStringConvertible {
    case utf8
    case utf16LittleEndian
    case utf16BigEndian
    /// GB18030, a superset of GBK and GB2312: every GB2312 or GBK file decodes as GB18030.
    case gb18030
    case big5
    /// Any other charset ICU's converters know, by ICU's name.
    case other(String)

    /// Parses a user's name for an encoding: utf-8, utf8, utf-16le, gb18030, gbk, gb2312, big5, …
    public init(name: String) {
        switch name.lowercased().replacingOccurrences(of: "_", with: "-") {
        case "utf-8", "utf8": self = .utf8
        case "utf-16le", "utf16le": self = .utf16LittleEndian
        case "utf-16be", "utf16be": self = .utf16BigEndian
        case "gb18030", "gbk", "gb2312", "cp936", "euc-cn": self = .gb18030
        case "big5", "big-5", "cp950", "big5-hkscs": self = .big5
        default: self = .other(name)
        }
    }

    /// The name reported to users and stored in indexes.
    public var description: String {
        switch self {
        case .utf8: return "UTF-8"
        case .utf16LittleEndian: return "UTF-16LE"
        case .utf16BigEndian: return "UTF-16BE"
        case .gb18030: return "GB18030"
        case .big5: return "Big5"
        case .other(let name): return name
        }
    }

    /// The converter name ICU uses.
    var icuName: String {
        switch self {
        case .big5: return "windows-950"  // ICU's Big5 table that includes the common CP950 extensions
        default: return description
        }
    }
}
