internal import Mustache
import NIOConcurrencyHelpers

/// The built-in site navigation and footer of the prompt pages, rendered once for each folder
/// depth instead of once per page.
///
/// A prompt page shows the navigation with no album marked (its `site` is the render's one
/// ``SiteInfo``) and the footer; both read nothing but `root` and `site`, so their text is the same
/// on every prompt page at the same depth. With twelve albums the navigation is sixty lookups, a
/// tenth of a prompt page's render: 10,000 times the same text. It is rendered once for each
/// `root` (a handful in a gallery) from a ``ChromeContext`` with the page's `root` and `site`, and
/// each prompt page is given it (``PromptPage/builtinNavHTML``, ``PromptPage/builtinFooterHTML``).
///
/// Only when the navigation, footer, layout and prompt page are all the built-in ones
/// (``Theme/rendersChromeOnce``): a theme's own prompt page may fill the navigation's blocks, and
/// its own layout may call it where `root` means something else. Other pages (the index, albums,
/// statistics) mark their own item through the blocks, and render the navigation as before.
final class ChromeMemo: Sendable {
    /// The names the built-in navigation and footer are registered under when the theme renders
    /// them once: names no file of templates/ can have.
    static let navTemplate = "easel/nav"
    static let footerTemplate = "easel/footer"

    /// What `nav` and `footer` then are: the text rendered once when the page has it, else the
    /// template itself, as a partial of the page (exactly what `{{> nav}}` rendered before).
    static let navPartial =
        "{{#.builtinNavHTML}}{{{.}}}{{/.builtinNavHTML}}{{^.builtinNavHTML}}{{> easel/nav}}{{/.builtinNavHTML}}"
    static let footerPartial =
        "{{#.builtinFooterHTML}}{{{.}}}{{/.builtinFooterHTML}}{{^.builtinFooterHTML}}{{> easel/footer}}{{/.builtinFooterHTML}}"

    /// The text of both, for pages with one `root` and `site`.
    struct Chrome: Sendable {
        var nav: String
        var footer: String
    }

    private struct Key: Hashable {
        var root: String
        var site: ObjectIdentifier
    }

    private let kept = NIOLockedValueBox<[Key: Chrome]>([:])
    private let tally = NIOLockedValueBox(0)

    /// The navigation and footer of a prompt page at `root` showing `site`: kept, or rendered now
    /// with `library` and kept. Nil when either cannot render (the page then renders them itself).
    func chrome(root: String, site: SiteInfo, with library: MustacheLibrary) -> Chrome? {
        let key = Key(root: root, site: ObjectIdentifier(site))
        if let chrome = kept.withLockedValue({ $0[key] }) { return chrome }
        let context = ChromeContext(root: root, site: site)
        guard let nav = library.render(context, withTemplate: Self.navTemplate),
            let footer = library.render(context, withTemplate: Self.footerTemplate)
        else { return nil }
        let chrome = Chrome(nav: nav, footer: footer)
        tally.withLockedValue { $0 += 1 }
        // Two pages may render it at once: either text is the same.
        kept.withLockedValue { $0[key] = chrome }
        return chrome
    }

    /// "navigation and footer rendered N times" (for EASEL_TRACE).
    var summary: String { "navigation and footer rendered \(tally.withLockedValue { $0 }) times" }
}

/// What the built-in navigation and footer read of a page: `root` and `site`.
final class ChromeContext: Sendable {
    let root: String
    let site: SiteInfo

    init(root: String, site: SiteInfo) {
        (self.root, self.site) = (root, site)
    }
}

extension ChromeContext: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "root": return root
        case "site": return site
        default: return nil
        }
    }
}

/// What a page's model is given to render once what several pages share: the cards of the list
/// pages (``CardMemo``), the navigation and footer of the prompt pages (``ChromeMemo``), and the
/// library of the page being rendered.
struct PageMemos: Sendable {
    var cards: CardMemo?
    var chrome: ChromeMemo?
    var library: MustacheLibrary

    /// The card's text rendered once (nil without a card memo).
    func html(of card: CardView, at key: CardMemo.Key) -> String? {
        cards?.html(of: card, at: key, with: library)
    }

    /// The navigation and footer of a prompt page (nil without a chrome memo).
    func chrome(root: String, site: SiteInfo) -> ChromeMemo.Chrome? {
        chrome?.chrome(root: root, site: site, with: library)
    }
}
