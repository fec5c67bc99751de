internal import Yams

extension SettingsReader {
    /// `edit: path`, or `edit: {image: path | [paths], mask: path | {rect: [x, y, w, h]} | {ellipse: [cx, cy, rx, ry]}}`.
    mutating func edit(_ node: Node) -> Located<EditSettings>? {
        let location = yaml.source.location(of: node)
        if node.plainScalar != nil {
            guard let image = yaml.path(node, key: "edit") else { return nil }
            return Located(EditSettings(images: [image], mask: nil), at: location)
        }
        guard case .mapping(let mapping) = node else {
            yaml.error(
                "'edit' must name an image, or hold 'image:' and 'mask:', found \(node.kindDescription)",
                at: node
            )
            return nil
        }
        var images: [Located<String>]?
        var mask: Located<MaskSetting>?
        for (keyNode, value) in mapping {
            switch keyNode.plainScalar {
            case "image", "images": images = editImages(value)
            case "mask": mask = self.mask(value)
            default:
                let name = keyNode.plainScalar ?? keyNode.kindDescription
                yaml.error(
                    "unknown key '\(name)' in 'edit'; it takes 'image' and 'mask'"
                        + Suggestion.hint(for: name, in: ["image", "mask"]),
                    at: keyNode
                )
            }
        }
        guard let images else {
            if mapping.isEmpty || mask != nil {
                yaml.error("'edit' needs 'image:', the picture to edit (for example inputs/photo.png)", at: node)
            }
            return nil
        }
        return Located(EditSettings(images: images, mask: mask), at: location)
    }

    private mutating func editImages(_ node: Node) -> [Located<String>]? {
        guard case .sequence(let sequence) = node else { return yaml.path(node, key: "edit.image").map { [$0] } }
        guard (1...16).contains(sequence.count) else {
            yaml.error("'edit.image' takes 1 to 16 images, found \(sequence.count)", at: node)
            return nil
        }
        let images = sequence.compactMap { yaml.path($0, key: "edit.image") }
        return images.count == sequence.count ? images : nil
    }

    private mutating func mask(_ node: Node) -> Located<MaskSetting>? {
        let location = yaml.source.location(of: node)
        if node.plainScalar != nil {
            return yaml.path(node, key: "edit.mask").map { Located(.file($0.value), at: $0.location) }
        }
        let shapes = "a shape such as {rect: [x, y, width, height]} or {ellipse: [cx, cy, rx, ry]}"
        guard case .mapping(let mapping) = node, mapping.count == 1, let (keyNode, value) = mapping.first,
            let shape = keyNode.plainScalar, ["rect", "ellipse"].contains(shape)
        else {
            yaml.error("'mask' must be a PNG file or \(shapes)", at: node)
            return nil
        }
        let names = shape == "rect" ? "[x, y, width, height]" : "[cx, cy, rx, ry] (centre and radii)"
        guard case .sequence(let sequence) = value, sequence.count == 4,
            case let numbers = sequence.compactMap(\.integer), numbers.count == 4
        else {
            yaml.error("'\(shape)' must be four whole numbers \(names) in pixels", at: value)
            return nil
        }
        guard numbers[0] >= 0, numbers[1] >= 0, numbers[2] > 0, numbers[3] > 0 else {
            yaml.error("'\(shape)' needs \(names) with the first two 0 or more and the last two above 0", at: value)
            return nil
        }
        guard numbers.allSatisfy({ $0 <= ImageSize.maxSide }) else {
            yaml.error(
                "'\(shape)' holds a number over \(ImageSize.maxSide): image sides are at most \(ImageSize.maxSide) pixels",
                at: value
            )
            return nil
        }
        if shape == "ellipse" {
            let ellipse = PixelEllipse(
                centerX: numbers[0],
                centerY: numbers[1],
                radiusX: numbers[2],
                radiusY: numbers[3]
            )
            return Located(.ellipse(ellipse), at: location)
        }
        let rect = PixelRect(x: numbers[0], y: numbers[1], width: numbers[2], height: numbers[3])
        return Located(.rectangle(rect), at: location)
    }
}
