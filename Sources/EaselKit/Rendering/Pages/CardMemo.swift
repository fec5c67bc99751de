internal import Mustache
import NIOConcurrencyHelpers

/// The built-in card of each prompt, rendered once for all the list pages that show it from the
/// same folder, instead of once per page.
///
/// A prompt's card is on the index and on its album's page (and on the pages of the albums above),
/// and the cards were a quarter of a 10,000-prompt render: 20,000 renders of forty lookups, each a
/// few casts in Mustache. The built-in card reads only its own ``CardView`` (its optional fields
/// with a leading dot, so that nothing is looked up on the page around it), so its text depends on
/// the prompt and the page's `root`, never on the page: rendered once and given to the next page
/// that shows it, it is the same bytes. A theme's own card, or its own index (which may call the
/// card anywhere, indented), is rendered in its page as before (``Theme/rendersCardsOnce``).
///
/// Memory stays bounded: only a card shown more than once is kept, and only until its last page
/// takes it (`uses` counts the pages to render, not every page of the site).
final class CardMemo: Sendable {
    /// A card as a page shows it: the item's position in the render, and the page's `root`.
    struct Key: Hashable, Sendable {
        var position: Int
        var root: String
    }

    /// The name the built-in card is registered under when ``Theme/rendersCardsOnce``: a name no
    /// file of templates/ can have (theme files have no "/" in their names).
    static let template = "easel/card"

    /// What the `card` partial is then: the card rendered once when the card has it, else the card
    /// itself, as a partial of the page (exactly what `{{> card}}` rendered before).
    static let partial =
        "{{#.builtinCardHTML}}{{{.}}}{{/.builtinCardHTML}}{{^.builtinCardHTML}}{{> easel/card}}{{/.builtinCardHTML}}"

    private let state: NIOLockedValueBox<(uses: [Key: Int], cards: [Key: String])>
    /// Cards rendered, and cards taken from an earlier page (for EASEL_TRACE).
    private let tally = NIOLockedValueBox((rendered: 0, reused: 0))

    /// - Parameter shown: the keys of the cards of every list page to render, a key once per page.
    init(shown: some Sequence<Key>) {
        var uses: [Key: Int] = [:]
        for key in shown { uses[key, default: 0] += 1 }
        state = NIOLockedValueBox((uses.filter { $0.value > 1 }, [:]))
    }

    /// The card's text: kept from an earlier page, or rendered now with `library` (the page's), and
    /// kept when another page will show it. Nil when the card template cannot render.
    func html(of card: CardView, at key: Key, with library: MustacheLibrary) -> String? {
        if let kept = state.withLockedValue({ state -> String? in
            guard let text = state.cards[key] else { return nil }
            take(key, from: &state)
            return text
        }) {
            tally.withLockedValue { $0.reused += 1 }
            return kept
        }
        guard let text = library.render(card, withTemplate: Self.template) else { return nil }
        tally.withLockedValue { $0.rendered += 1 }
        state.withLockedValue { state in
            guard state.uses[key] != nil else { return }
            // Another page may have rendered it meanwhile: either text is the same.
            state.cards[key] = text
            take(key, from: &state)
        }
        return text
    }

    /// One use of `key` done; the card goes with its last.
    private func take(_ key: Key, from state: inout (uses: [Key: Int], cards: [Key: String])) {
        guard let left = state.uses[key] else { return }
        if left <= 1 {
            state.uses[key] = nil
            state.cards[key] = nil
        } else {
            state.uses[key] = left - 1
        }
    }

    /// "N cards rendered, M reused".
    var summary: String { tally.withLockedValue { "\($0.rendered) cards rendered, \($0.reused) reused" } }

    /// How many cards are kept now, for tests.
    var kept: Int { state.withLockedValue { $0.cards.count } }
}
