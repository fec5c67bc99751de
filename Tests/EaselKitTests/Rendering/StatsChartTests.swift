import Foundation
import Testing

@testable import EaselKit

struct StatsChartTests {
    @Test func drawsOneBarAndWhiskerPerRowOnANiceScale() {
        let svg = StatsChart.svg(
            [
                .init(label: "generation · gpt-image-2", median: 6.2, p90: 8.1),
                .init(label: "edit · <gpt>", median: 15.5, p90: 17.0),
            ],
            title: "Latency"
        )
        #expect(svg.hasPrefix(#"<svg xmlns="http://www.w3.org/2000/svg""#) && svg.hasSuffix("</svg>"))
        #expect(svg.components(separatedBy: #"class="chart-bar""#).count - 1 == 2)
        #expect(svg.components(separatedBy: #"class="chart-whisker""#).count - 1 == 4)
        #expect(svg.contains("edit · &lt;gpt&gt;"), "labels are escaped")
        #expect(svg.contains(">20.0 s<"), "the axis ends at the next 1-2-5 step above the slowest p90")
        #expect(StatsChart.svg([], title: "none").isEmpty)
        #expect(
            StatsChart.niceCeiling(0.7) == 1 && StatsChart.niceCeiling(13) == 20 && StatsChart.niceCeiling(51) == 100
        )
    }
}
