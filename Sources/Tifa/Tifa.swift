/// Tifa (提法): a toolkit for mining Chinese policy text.
///
/// Data flows one way: decode → normalize → segment → extract → index. Offsets everywhere are
/// 0-based Unicode scalar (code point) offsets into the decoded original text of a document.
public enum Tifa {
    public static let version = "0.1.0"
}
