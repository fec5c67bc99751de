/// The build's spending against `max_cost`: what was spent (from the API's usage) and what the
/// requests in flight are estimated to cost. No request starts that could take the total past the cap.
///
/// Token counts vary from image to image, so each request reserves its estimate plus a margin:
/// the actual cost then stays under the cap unless a request costs more than `margin` times its
/// estimate.
struct Budget: Sendable {
    static let margin = 1.15

    /// The cap in US dollars, or nil for none.
    let cap: Double?
    private(set) var spent = 0.0
    private var reserved: [CacheKey: Double] = [:]

    init(cap: Double?) {
        self.cap = cap
    }

    /// Reserves `job`'s estimate. - Returns: why the job may not start, or nil when it may.
    mutating func reserve(_ job: RequestScheduler.Job) -> String? {
        guard let cap else { return nil }
        guard let estimate = job.estimate else {
            return "not sent: its cost cannot be estimated (no price for \(job.request.model)), and max_cost is set"
        }
        let committed = spent + reserved.values.reduce(0, +)
        let reservation = estimate * Self.margin
        guard committed + reservation <= cap + 1e-9 else {
            return "not sent: its estimated cost, \(Display.dollars(estimate)), would take this build past the"
                + " max_cost of \(Display.dollars(cap)) (\(Display.dollars(committed)) already spent or under way)"
        }
        reserved[job.key] = reservation
        return nil
    }

    /// Replaces `job`'s reservation by what it cost: the API's figure, the reservation when a
    /// generated request's cost is unknown, nothing when it failed.
    mutating func settle(_ job: RequestScheduler.Job, generated: Bool, cost: Double?) {
        let reservation = reserved.removeValue(forKey: job.key)
        if generated { spent += cost ?? reservation ?? 0 }
    }
}
