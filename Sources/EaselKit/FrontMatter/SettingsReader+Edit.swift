internal import Yams

extension SettingsReader {
    /// `edit: path`, or `edit: {image: path | [paths], mask: path | {rect: [x, y, w, h]}}`.
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
        guard case .mapping(let mapping) = node, mapping.count == 1, let (keyNode, value) = mapping.first,
            keyNode.plainScalar == "rect"
        else {
            yaml.error("'mask' must be a PNG file or a shape such as {rect: [x, y, width, height]}", at: node)
            return nil
        }
        guard case .sequence(let sequence) = value, sequence.count == 4,
            case let numbers = sequence.compactMap(\.int), numbers.count == 4
        else {
            yaml.error("'rect' must be four whole numbers [x, y, width, height] in pixels", at: value)
            return nil
        }
        guard numbers[0] >= 0, numbers[1] >= 0, numbers[2] > 0, numbers[3] > 0 else {
            yaml.error("'rect' needs x and y of 0 or more, and a width and height above 0", at: value)
            return nil
        }
        let rect = PixelRect(x: numbers[0], y: numbers[1], width: numbers[2], height: numbers[3])
        return Located(.rectangle(rect), at: location)
    }
}
