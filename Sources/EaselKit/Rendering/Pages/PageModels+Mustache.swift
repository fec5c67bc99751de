internal import Mustache

// Mustache reads a value's fields through Mirror unless the value answers `child(named:)` itself.
// Reflection dominated rendering (two thirds of a 1,000-page rebuild, measured with perf), so
// every page model names its fields here. A test checks each list against Mirror's, field by field.

extension SiteInfo: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "title": return title
        case "description": return description
        case "generator": return generator
        case "baseURL": return baseURL
        case "hasFeed": return hasFeed
        case "albums": return albums
        case "albumsOmitted": return albumsOmitted
        default: return nil
        }
    }
}

extension AlbumLink: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "name": return self.name
        case "path": return path
        case "count": return count
        case "isCurrent": return isCurrent
        default: return nil
        }
    }
}

extension SocialView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "title": return title
        case "description": return description
        case "image": return image
        case "imageWidth": return imageWidth
        case "imageHeight": return imageHeight
        case "url": return url
        default: return nil
        }
    }
}

extension ImageView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "src": return src
        case "full": return full
        case "srcset": return srcset
        case "sizes": return sizes
        case "fullWidth": return fullWidth
        case "fullHeight": return fullHeight
        case "width": return width
        case "height": return height
        case "alt": return alt
        case "label": return label
        default: return nil
        }
    }
}

extension FacetView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "name": return self.name
        case "count": return count
        default: return nil
        }
    }
}

extension CardView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "title": return title
        case "url": return url
        case "album": return album
        case "tags": return tags
        case "model": return model
        case "size": return size
        case "latency": return latency
        case "created": return created
        case "createdISO": return createdISO
        case "status": return status
        case "isPlaceholder": return isPlaceholder
        case "isFailed": return isFailed
        case "image": return image
        case "searchText": return searchText
        case "imageCount": return imageCount
        case "kind": return kind
        case "sortDate": return sortDate
        case "models": return models
        case "compareCells": return compareCells
        case "builtinCardHTML": return builtinCardHTML
        // Answered here, not stored (the search index encodes the card): what the built-in card
        // asked of transforms (`last()`, `empty(tags)`, `equalzero(minusone(imageCount))`), whose
        // lookups were a third of rendering a card, 20,000 of them in a big gallery.
        case "tagList": return tags.joined(separator: "|")
        case "hasTags": return !tags.isEmpty
        case "hasSeveralImages": return imageCount > 1
        case "modelList": return models.joined(separator: "|")
        case "isComparison": return compareCells > 0
        default: return nil
        }
    }
}

extension IndexPage: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "site": return site
        case "root": return root
        case "album": return album
        case "heading": return heading
        case "subAlbums": return subAlbums
        case "parents": return parents
        case "social": return social
        case "cards": return cards
        case "albums": return albums
        case "tags": return tags
        case "models": return models
        case "albumsOmitted": return albumsOmitted
        case "tagsOmitted": return tagsOmitted
        case "modelsOmitted": return modelsOmitted
        case "total": return total
        case "placeholders": return placeholders
        case "failures": return failures
        case "pagination": return pagination
        case "searchIndex": return searchIndex
        default: return nil
        }
    }
}

extension PaginationView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "number": return number
        case "count": return count
        case "first": return first
        case "last": return last
        case "previous": return previous
        case "next": return next
        case "links": return links
        case "isFirst": return isFirst
        default: return nil
        }
    }
}

extension PageLinkView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "number": return number
        case "url": return url
        case "isCurrent": return isCurrent
        case "isGap": return isGap
        default: return nil
        }
    }
}

extension ProblemView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "location": return location
        case "message": return message
        default: return nil
        }
    }
}

extension DetailView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "label": return label
        case "value": return value
        case "datetime": return datetime
        case "valueHTML": return valueHTML
        default: return nil
        }
    }
}

extension PromptPage: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "site": return site
        case "root": return root
        case "title": return title
        case "album": return album
        case "tags": return tags
        case "file": return file
        case "html": return html
        case "kind": return kind
        case "status": return status
        case "isPlaceholder": return isPlaceholder
        case "isFailed": return isFailed
        case "images": return images
        case "inputs": return inputs
        case "details": return details
        case "problems": return problems
        case "parents": return parents
        case "versions": return versions
        case "versionsOmitted": return versionsOmitted
        case "credentials": return credentials
        case "verifier": return verifier
        case "social": return social
        case "comparison": return comparison
        case "queuedNote": return queuedNote
        case "builtinNavHTML": return builtinNavHTML
        case "builtinFooterHTML": return builtinFooterHTML
        default: return nil
        }
    }
}

extension CredentialsView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "label": return label
        case "file": return file
        case "state": return state
        case "present": return present
        case "unreadable": return unreadable
        case "generator": return generator
        case "signer": return signer
        case "signed": return signed
        case "signedISO": return signedISO
        case "source": return source
        case "isIntact": return isIntact
        case "isAltered": return isAltered
        case "isUnchecked": return isUnchecked
        case "bindingNote": return bindingNote
        case "badge": return badge
        case "signatureValid": return signatureValid
        case "signatureInvalid": return signatureInvalid
        case "signatureNote": return signatureNote
        case "problem": return problem
        default: return nil
        }
    }
}

extension VersionView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "created": return created
        case "createdISO": return createdISO
        case "model": return model
        case "size": return size
        case "diff": return diff
        case "images": return images
        default: return nil
        }
    }
}

extension StatsPage: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "site": return site
        case "root": return root
        case "totals": return totals
        case "chart": return chart
        case "rows": return rows
        case "qualities": return qualities
        case "social": return social
        default: return nil
        }
    }
}

extension StatsRow: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "operation": return operation
        case "model": return model
        case "count": return count
        case "median": return median
        case "p90": return p90
        case "mean": return mean
        case "cost": return cost
        default: return nil
        }
    }
}

extension FeedPage: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "site": return site
        case "base": return base
        case "updated": return updated
        case "entries": return entries
        case "listPages": return listPages
        default: return nil
        }
    }
}

extension FeedEntry: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "title": return title
        case "url": return url
        case "updated": return updated
        case "summary": return summary
        case "image": return image
        default: return nil
        }
    }
}

extension StatsQualityRow: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "model": return model
        case "quality": return quality
        case "count": return count
        case "median": return median
        case "p90": return p90
        case "costPerImage": return costPerImage
        case "failures": return failures
        default: return nil
        }
    }
}
