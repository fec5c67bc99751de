/// Latency by operation and model as an inline SVG bar chart, drawn at build time (no chart library).
///
/// One horizontal bar per row: the median latency, with a whisker to the 90th percentile. Colours
/// come from CSS classes (`chart-bar`, `chart-whisker`, `chart-axis`, `chart-label`, `chart-grid`)
/// so the theme styles it for light and dark mode.
enum StatsChart {
    struct Bar: Sendable {
        var label: String
        var median: Double
        var p90: Double
    }

    static func svg(_ bars: [Bar], title: String) -> String {
        guard !bars.isEmpty else { return "" }
        let rowHeight = 28
        let labelWidth = 260
        let plotWidth = 420
        let height = bars.count * rowHeight + 40
        let width = labelWidth + plotWidth + 60
        let top = niceCeiling(bars.map(\.p90).max() ?? 1)
        func x(_ seconds: Double) -> Int { labelWidth + Int((seconds / top * Double(plotWidth)).rounded()) }
        var svg = #"<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 \#(width) \#(height)" "#
        svg += #"width="\#(width)" height="\#(height)" role="img" aria-labelledby="chart-title">"#
        svg += #"<title id="chart-title">\#(WordDiff.escape(title))</title>"#
        for step in 0...4 {
            let seconds = top * Double(step) / 4
            let gx = x(seconds)
            svg += #"<line class="chart-grid" x1="\#(gx)" y1="8" x2="\#(gx)" y2="\#(height - 24)"/>"#
            svg +=
                #"<text class="chart-axis" x="\#(gx)" y="\#(height - 8)" text-anchor="middle">\#(format(seconds))</text>"#
        }
        for (index, bar) in bars.enumerated() {
            let y = 12 + index * rowHeight
            svg +=
                #"<text class="chart-label" x="\#(labelWidth - 8)" y="\#(y + 14)" text-anchor="end">\#(WordDiff.escape(bar.label))</text>"#
            svg +=
                #"<rect class="chart-bar" x="\#(labelWidth)" y="\#(y + 2)" width="\#(max(1, x(bar.median) - labelWidth))" height="16" rx="2"/>"#
            svg +=
                #"<line class="chart-whisker" x1="\#(x(bar.median))" y1="\#(y + 10)" x2="\#(x(bar.p90))" y2="\#(y + 10)"/>"#
            svg +=
                #"<line class="chart-whisker" x1="\#(x(bar.p90))" y1="\#(y + 4)" x2="\#(x(bar.p90))" y2="\#(y + 16)"/>"#
        }
        return svg + "</svg>"
    }

    /// 1, 2, 5 × 10ⁿ at or above `value`.
    static func niceCeiling(_ value: Double) -> Double {
        guard value > 0 else { return 1 }
        var unit = 0.001
        while true {
            for step in [1.0, 2.0, 5.0] where step * unit >= value { return step * unit }
            unit *= 10
        }
    }

    private static func format(_ seconds: Double) -> String {
        seconds < 1 ? "\(Int((seconds * 1000).rounded())) ms" : Display.duration(milliseconds: Int(seconds * 1000))
    }
}
