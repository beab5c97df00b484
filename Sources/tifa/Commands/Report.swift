import ArgumentParser
import Foundation
import Tifa
import TifaIndex

struct Report: ParsableCommand, WritesOutput {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "One self-contained HTML page about an index.",
        discussion: """
        The page holds the corpus summary and provenance, the leading formulas and words overall and by period (--by), trend charts of the leading formulas (counts and rates), KWIC samples, and tables that sort when a header is clicked. CSS, JavaScript and SVG are inline: no network is needed to open it. `bash .ci/report-check` renders it in headless Chromium.
        """
    )

    @OptionGroup var database: DatabaseOption

    @OptionGroup var output: OutputOption
    var outputPath: String? { output.output }

    @Option(name: .long, help: ArgumentHelp("The periods: year or a metadata field.", valueName: "FIELD"))
    var by = "year"

    @Option(help: "The page's title.")
    var title = "Tifa corpus report"

    @OptionGroup var limit: LimitOption

    @OptionGroup var stopWords: StopWordOption

    func run() throws {
        let index = try IndexReader(path: database.db)
        var options = ReportOptions()
        options.title = title
        options.groupBy = by
        options.rankingRows = limit.value(default: 30) ?? Int.max
        options.stopWords = try stopWords.load()
        Output.standard.write(try CorpusReport(options: options).html(index))
    }
}
