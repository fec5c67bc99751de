import Foundation

/// The XMP packet that carries a ``Provenance`` in JPEG, WebP and PNG files.
///
/// A standard `x:xmpmeta` / `rdf:RDF` packet with one `rdf:Description`: the prompt as `dc:description`, the
/// title as `dc:title`, Easel as `xmp:CreatorTool`, and each setting as an `easel:KEY` property in the
/// `https://easel.invalid/ns/1.0/` namespace. Reading understands exactly what writing produces; an XMP packet
/// written by another tool, without Easel's namespace, reads as nil.
struct XMPPacket {
    /// The namespace of Easel's own properties.
    static let namespace = "https://easel.invalid/ns/1.0/"

    /// The provenance to describe.
    var provenance: Provenance

    /// Creates the packet for `provenance`.
    init(_ provenance: Provenance) {
        self.provenance = provenance
    }

    /// The packet as UTF-8, cutting the prompt and marking the cut with "…" when needed to fit `limit` bytes.
    /// - Parameter limit: The most bytes the packet may take, or nil for no limit.
    /// - Returns: The packet, or nil when even an empty prompt would not fit.
    func data(limit: Int? = nil) -> Data? {
        let whole = data(prompt: provenance.prompt)
        guard let limit, whole.count > limit else { return whole }
        // Cut on Character boundaries, so no UTF-8 sequence or grapheme is split; the longest prefix that
        // fits is found by bisection, since escaping makes the byte count of a prefix hard to predict.
        let characters = Array(provenance.prompt)
        var (fits, tooLong) = (-1, characters.count)
        while tooLong - fits > 1 {
            let middle = (fits + tooLong) / 2
            if data(prompt: String(characters[..<middle]) + "…").count <= limit {
                fits = middle
            } else {
                tooLong = middle
            }
        }
        return fits < 0 ? nil : data(prompt: String(characters[..<fits]) + "…")
    }

    private func data(prompt: String) -> Data {
        let tool = "Easel \(EaselVersion.current)"
        var lines = [
            "<?xpacket begin=\"\u{FEFF}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>",
            "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\" x:xmptk=\"\(tool)\">",
            " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">",
            "  <rdf:Description rdf:about=\"\"",
            "    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"",
            "    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"",
            "    xmlns:easel=\"\(XMPPacket.namespace)\">",
            XMPPacket.alternative(named: "dc:title", text: provenance.title),
            XMPPacket.alternative(named: "dc:description", text: prompt),
            "   <xmp:CreatorTool>\(XMPPacket.escape(tool))</xmp:CreatorTool>",
        ]
        for setting in provenance.embeddableSettings {
            lines.append("   <easel:\(setting.key)>\(XMPPacket.escape(setting.value))</easel:\(setting.key)>")
        }
        lines += ["  </rdf:Description>", " </rdf:RDF>", "</x:xmpmeta>", "<?xpacket end=\"r\"?>"]
        return Data(lines.joined(separator: "\n").utf8)
    }

    /// A language alternative with only the default language, as Dublin Core's `title` and `description` are.
    private static func alternative(named name: String, text: String) -> String {
        "   <\(name)><rdf:Alt><rdf:li xml:lang=\"x-default\">\(escape(text))</rdf:li></rdf:Alt></\(name)>"
    }

    /// Reads a packet that ``data(limit:)`` wrote.
    /// - Parameter data: The packet's bytes.
    /// - Returns: The provenance it describes, or nil when it is not UTF-8 or not one of Easel's packets.
    static func parse(_ data: Data) -> Provenance? {
        guard let text = String(data: data, encoding: .utf8),
            text.contains("xmlns:easel=\"\(namespace)\""),
            let title = alternative(named: "dc:title", in: text),
            let prompt = alternative(named: "dc:description", in: text)
        else { return nil }
        var settings: [Provenance.Setting] = []
        var rest = text[...]
        while let open = rest.range(of: "<easel:") {
            rest = rest[open.upperBound...]
            guard let end = rest.firstIndex(of: ">") else { return nil }
            let key = String(rest[..<end])
            guard isXMLName(key) else { continue }
            rest = rest[rest.index(after: end)...]
            guard let close = rest.range(of: "</easel:\(key)>") else { return nil }
            settings.append(Provenance.Setting(key: key, value: unescape(rest[..<close.lowerBound])))
            rest = rest[close.upperBound...]
        }
        return Provenance(title: title, prompt: prompt, settings: settings)
    }

    /// Whether `name` can be an XML element name as Easel writes them: ASCII letters, digits, `_`, `-` and
    /// `.`, starting with a letter or `_`.
    static func isXMLName(_ name: String) -> Bool {
        func isLetter(_ scalar: Unicode.Scalar) -> Bool {
            ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || scalar == "_"
        }
        guard let first = name.unicodeScalars.first, isLetter(first) else { return false }
        return name.unicodeScalars.allSatisfy { isLetter($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "." }
    }

    /// The text of the `x-default` item of the language alternative `name`.
    private static func alternative(named name: String, in text: String) -> String? {
        guard let property = text.range(of: "<\(name)>"),
            let item = text.range(of: "<rdf:li xml:lang=\"x-default\">", range: property.upperBound..<text.endIndex),
            let end = text.range(of: "</rdf:li>", range: item.upperBound..<text.endIndex)
        else { return nil }
        return unescape(text[item.upperBound..<end.lowerBound])
    }
}
