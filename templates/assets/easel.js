// Easel built-in theme: progressive enhancement only. Every page works without this file.
// - Index and album pages: search over data-search, filter by album/tag/model, sort by data-date,
//   over the cards of the page (an album page holds only its own). When the list is longer than
//   a page (data-easel-index), searching, filtering or sorting covers the whole list: the search
//   index script is loaded then, and the matches are shown as cards made from it, a page at a
//   time ("Show more"), with the page links hidden. State is kept in the URL fragment
//   (#q=…&tag=…&sort=new) so a filtered view can be bookmarked. The cards made from the search
//   index follow templates/card.mustache's markup (makeCard): a theme that overrides the card
//   template should override this file too.
// - Prompt pages: links marked data-easel-zoom open in a keyboard-accessible lightbox (focus kept
//   inside while open, arrows and swipes step, Escape closes, focus returns to the opener).
(function () {
    "use strict";

    function setUpFilters() {
        var form = document.querySelector("[data-easel-filters]");
        var gallery = document.querySelector("[data-easel-gallery]");
        if (!form || !gallery) return;

        var root = gallery.dataset.easelRoot || "";
        var pageAlbum = gallery.dataset.easelAlbum || "";
        // Set when the list is longer than this page: the whole list is then searched through
        // the search index, a script (a page opened from file:// may load one, not fetch JSON).
        var indexURL = gallery.dataset.easelIndex || "";
        var pager = document.querySelector("[data-easel-pagination]");
        var pageCards = Array.prototype.slice.call(gallery.children);
        var pageSize = Math.max(pageCards.length, 1);
        var search = form.querySelector("[data-easel-search]");
        var sort = form.querySelector("[data-easel-sort]");
        var count = form.querySelector("[data-easel-count]");
        var clear = form.querySelector("[data-easel-clear]");
        var noMatch = document.querySelector("[data-easel-no-match]");
        var chips = Array.prototype.slice.call(form.querySelectorAll("[data-facet]"));
        var total = Number(gallery.dataset.easelTotal) || pageCards.length;

        // An entry: what a card is matched and sorted by, and the card (made when first shown).
        var pageEntries = pageCards.map(function (card, i) {
            return {
                search: card.dataset.search || "",
                album: card.dataset.album || "",
                tags: (card.dataset.tags || "").split("|"),
                models: (card.dataset.model || "").split("|"),
                date: card.dataset.date || "",
                order: i,
                card: card
            };
        });
        var listEntries = null, loading = false, limit = pageSize;
        var more = document.createElement("button");
        more.type = "button";
        more.className = "show-more";
        more.hidden = true;
        more.textContent = "Show more";
        more.addEventListener("click", function () { limit += pageSize; apply(false); });
        gallery.parentNode.insertBefore(more, gallery.nextSibling);

        function loadIndex() {
            if (loading) return;
            loading = true;
            var script = document.createElement("script");
            script.src = indexURL;
            script.onload = function () {
                var index = window.EaselIndex;
                if (!index || !index.fields || !index.prompts) { script.onerror(); return; }
                var at = {};
                index.fields.forEach(function (name, i) { at[name] = i; });
                listEntries = [];
                index.prompts.forEach(function (row, i) {
                    var album = row[at.album] || "";
                    if (pageAlbum && album !== pageAlbum && album.indexOf(pageAlbum + "/") !== 0) return;
                    var tags = row[at.tags] || [];
                    listEntries.push({
                        search: [row[at.title], row[at.text], album].concat(row[at.models] || [], tags).join(" ").toLowerCase(),
                        album: album,
                        tags: tags,
                        models: row[at.models] || [row[at.model] || ""],
                        date: row[at.date] || "",
                        order: i,
                        row: row,
                        at: at,
                        card: null
                    });
                });
                apply(false);
            };
            script.onerror = function () {
                loading = false;
                count.textContent = "The search index could not be loaded: this page's cards only.";
                indexURL = "";
                apply(false);
            };
            document.head.appendChild(script);
        }

        function element(name, className, text) {
            var node = document.createElement(name);
            if (className) node.className = className;
            if (text) node.textContent = text;
            return node;
        }

        // A card like templates/card.mustache's, from a row of the search index.
        function makeCard(entry) {
            var row = entry.row, at = entry.at;
            var status = row[at.status], kind = row[at.kind];
            var card = element("li", "card card-" + status + " card-kind-" + kind);
            var title = element("h2", "card-title");
            var link = element("a", "", row[at.title]);
            link.href = root + row[at.page];
            title.appendChild(link);
            card.appendChild(title);
            var media = element("div", "card-media");
            if (row[at.src]) {
                var img = document.createElement("img");
                img.src = root + row[at.src];
                if (row[at.srcset]) {
                    img.srcset = row[at.srcset].split(", ").map(function (c) { return root + c; }).join(", ");
                    img.sizes = "(max-width: 640px) 50vw, 300px";
                }
                img.width = row[at.width];
                img.height = row[at.height];
                img.alt = row[at.text];
                img.loading = "lazy";
                img.decoding = "async";
                media.appendChild(img);
            } else {
                var empty = element("div", "card-empty");
                empty.setAttribute("aria-hidden", "true");
                empty.appendChild(element("span", "card-empty-icon", "!"));
                empty.appendChild(element("span", "", "No image"));
                media.appendChild(empty);
            }
            if (status === "placeholder") media.appendChild(element("span", "badge badge-placeholder", "Placeholder"));
            if (status === "failed") media.appendChild(element("span", "badge badge-failed", "Failed"));
            var flags = element("span", "card-flags");
            flags.appendChild(element("span", "badge badge-kind badge-kind-" + kind, kind));
            if (row[at.images] > 1) {
                var many = element("span", "badge badge-count");
                var shown = element("span", "", "×" + row[at.images]);
                shown.setAttribute("aria-hidden", "true");
                many.appendChild(shown);
                many.appendChild(element("span", "visually-hidden", row[at.images] + " images"));
                flags.appendChild(many);
            }
            if (row[at.compared] > 0) flags.appendChild(element("span", "badge badge-compare", row[at.compared] + " compared"));
            media.appendChild(flags);
            card.appendChild(media);
            var body = element("div", "card-body");
            var meta = element("p", "card-meta");
            [["Size", row[at.size]], ["Latency", row[at.latency]], ["Model", row[at.model]]].forEach(function (pair) {
                if (!pair[1]) return;
                var item = element("span", "meta-item mono", pair[1]);
                item.title = pair[0];
                meta.appendChild(item);
            });
            body.appendChild(meta);
            if (row[at.created]) {
                var date = element("p", "card-date");
                var time = element("time", "", row[at.created]);
                time.dateTime = row[at.createdISO];
                date.appendChild(time);
                body.appendChild(date);
            }
            if (entry.album) {
                var album = element("p", "card-album");
                album.appendChild(element("span", "visually-hidden", "Album: "));
                album.appendChild(element("span", "album", entry.album));
                body.appendChild(album);
            }
            if (entry.tags.length) {
                var tags = element("ul", "tags");
                entry.tags.forEach(function (tag) { tags.appendChild(element("li", "tag", tag)); });
                body.appendChild(tags);
            }
            card.appendChild(body);
            return card;
        }

        function selected(facet) {
            return chips.filter(function (chip) {
                return chip.dataset.facet === facet && chip.getAttribute("aria-pressed") === "true";
            }).map(function (chip) { return chip.dataset.value; });
        }

        // Within one facet any selected value matches; facets combine with AND.
        // An album matches itself and its sub-albums ("space" matches "space/stations").
        function matches(entry, words, albums, tags, models) {
            for (var i = 0; i < words.length; i++) {
                if (entry.search.indexOf(words[i]) === -1) return false;
            }
            var album = entry.album;
            if (albums.length && !albums.some(function (a) { return album === a || album.indexOf(a + "/") === 0; })) return false;
            if (tags.length && !tags.some(function (t) { return entry.tags.indexOf(t) !== -1; })) return false;
            // A comparison's card matches any model of its cells.
            if (models.length && !models.some(function (m) { return entry.models.indexOf(m) !== -1; })) return false;
            return true;
        }

        function apply(updateHash) {
            var words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
            var albums = selected("album"), tags = selected("tag"), models = selected("model");
            var order = sort.value;
            var filtering = words.length || albums.length || tags.length || models.length;
            // A paginated list is searched and sorted whole: this page's cards are not all of it.
            var whole = indexURL && (filtering || order);
            if (whole && !listEntries) {
                count.textContent = "Searching…";
                loadIndex();
                if (updateHash) writeHash(search.value, albums, tags, models, order);
                return;
            }
            var entries = whole ? listEntries : pageEntries;
            var found = entries.filter(function (entry) { return matches(entry, words, albums, tags, models); });
            found.sort(function (a, b) {
                if (order) {
                    // Cards without a date go last in either direction.
                    if (a.date !== b.date) {
                        if (!a.date) return 1;
                        if (!b.date) return -1;
                        return (order === "new" ? a.date < b.date : a.date > b.date) ? 1 : -1;
                    }
                }
                return a.order - b.order;
            });
            if (whole) {
                var shown = found.slice(0, limit);
                while (gallery.firstChild) gallery.removeChild(gallery.firstChild);
                shown.forEach(function (entry) {
                    if (!entry.card) entry.card = makeCard(entry);
                    entry.card.hidden = false;
                    gallery.appendChild(entry.card);
                });
                more.hidden = found.length <= limit;
                more.textContent = "Show more (" + (found.length - shown.length) + " left)";
            } else {
                if (indexURL && gallery.firstChild !== pageCards[0]) {
                    while (gallery.firstChild) gallery.removeChild(gallery.firstChild);
                }
                pageEntries.forEach(function (entry) { entry.card.hidden = true; });
                found.forEach(function (entry) { entry.card.hidden = false; });
                found.concat(pageEntries.filter(function (entry) { return entry.card.hidden; }))
                    .forEach(function (entry) { gallery.appendChild(entry.card); });
                more.hidden = true;
                limit = pageSize;
            }
            if (pager) pager.hidden = !!whole;

            var of = whole ? entries.length : total;
            count.textContent = filtering ? found.length + " of " + of + " shown" : of + (of === 1 ? " prompt" : " prompts");
            clear.hidden = !(filtering || order);
            if (noMatch) noMatch.hidden = found.length !== 0;
            if (updateHash) writeHash(search.value, albums, tags, models, order);
        }

        function writeHash(q, albums, tags, models, order) {
            var parts = [];
            if (q) parts.push("q=" + encodeURIComponent(q));
            albums.forEach(function (v) { parts.push("album=" + encodeURIComponent(v)); });
            tags.forEach(function (v) { parts.push("tag=" + encodeURIComponent(v)); });
            models.forEach(function (v) { parts.push("model=" + encodeURIComponent(v)); });
            if (order) parts.push("sort=" + order);
            var hash = parts.length ? "#" + parts.join("&") : "";
            if (hash !== location.hash && history.replaceState) {
                history.replaceState(null, "", hash || location.pathname + location.search);
            }
        }

        function readHash() {
            var state = { q: "", sort: "", album: [], tag: [], model: [] };
            location.hash.replace(/^#/, "").split("&").forEach(function (pair) {
                var i = pair.indexOf("=");
                if (i < 1) return;
                var key = pair.slice(0, i), value;
                try { value = decodeURIComponent(pair.slice(i + 1)); } catch (e) { return; }
                if (key === "q" || key === "sort") state[key] = value;
                else if (state[key]) state[key].push(value);
            });
            search.value = state.q;
            sort.value = state.sort === "new" || state.sort === "old" ? state.sort : "";
            chips.forEach(function (chip) {
                var on = (state[chip.dataset.facet] || []).indexOf(chip.dataset.value) !== -1;
                chip.setAttribute("aria-pressed", on ? "true" : "false");
            });
        }

        chips.forEach(function (chip) {
            chip.addEventListener("click", function () {
                var on = chip.getAttribute("aria-pressed") === "true";
                chip.setAttribute("aria-pressed", on ? "false" : "true");
                apply(true);
            });
        });
        search.addEventListener("input", function () { apply(true); });
        sort.addEventListener("change", function () { apply(true); });
        form.addEventListener("submit", function (event) { event.preventDefault(); });
        form.addEventListener("reset", function (event) {
            event.preventDefault();
            search.value = "";
            sort.value = "";
            chips.forEach(function (chip) { chip.setAttribute("aria-pressed", "false"); });
            apply(true);
            search.focus();
        });
        window.addEventListener("hashchange", function () { readHash(); apply(false); });

        // The facet lists are open on wide screens; on a phone they fold behind their summary
        // unless the URL already selects something.
        var facets = form.querySelector("[data-easel-facets]");
        if (facets && window.matchMedia) {
            var wide = window.matchMedia("(min-width: 48rem)");
            var sync = function () { if (wide.matches) facets.open = true; };
            if (wide.addEventListener) wide.addEventListener("change", sync);
            sync();
        }

        readHash();
        if (facets && chips.some(function (chip) { return chip.getAttribute("aria-pressed") === "true"; })) {
            facets.open = true;
        }
        form.hidden = false;
        apply(false);
    }

    // The lightbox: a modal <dialog> over every link marked data-easel-zoom, in page order.
    // Keyboard: ArrowLeft/ArrowRight step, Escape closes, Tab and Shift-Tab cycle through the
    // viewer's own controls. Touch: swipe left or right. Focus goes back to the opener on close.
    function setUpLightbox() {
        var links = Array.prototype.slice.call(document.querySelectorAll("a[data-easel-zoom]"));
        if (!links.length || typeof HTMLDialogElement !== "function") return;

        var dialog = document.createElement("dialog");
        dialog.className = "lightbox";
        dialog.setAttribute("aria-label", "Image viewer");
        dialog.setAttribute("data-easel-lightbox", "");
        dialog.innerHTML =
            '<div class="lightbox-stage"><img alt=""></div>' +
            '<p class="lightbox-caption"><span class="lightbox-count"></span><span class="lightbox-text"></span> · <a class="lightbox-original">Open original</a></p>' +
            '<button type="button" class="lightbox-button lightbox-close" aria-label="Close">\u2715</button>' +
            '<button type="button" class="lightbox-button lightbox-prev" aria-label="Previous image">\u2190</button>' +
            '<button type="button" class="lightbox-button lightbox-next" aria-label="Next image">\u2192</button>';
        document.body.appendChild(dialog);

        var stage = dialog.querySelector(".lightbox-stage");
        var img = dialog.querySelector("img");
        var text = dialog.querySelector(".lightbox-text");
        var counter = dialog.querySelector(".lightbox-count");
        var original = dialog.querySelector(".lightbox-original");
        var close = dialog.querySelector(".lightbox-close");
        var prev = dialog.querySelector(".lightbox-prev");
        var next = dialog.querySelector(".lightbox-next");
        var single = links.length < 2;
        var current = 0;
        var opener = null;

        function show(index) {
            current = (index + links.length) % links.length;
            var link = links[current];
            var thumb = link.querySelector("img");
            var figure = link.closest("figure");
            var caption = figure && figure.querySelector("figcaption .shot-label");
            var full = link.getAttribute("href");
            img.alt = thumb ? thumb.alt : "";
            if (thumb) {
                // The page's width/height give the aspect ratio, so the viewer does not jump.
                img.setAttribute("width", thumb.getAttribute("width"));
                img.setAttribute("height", thumb.getAttribute("height"));
            }
            // Show the thumbnail the page already loaded at once, then the original when it is in.
            var shown = thumb && (thumb.currentSrc || thumb.src);
            img.src = shown || full;
            if (shown && shown !== full) {
                var loader = new Image();
                var wanted = current;
                loader.onload = function () { if (current === wanted && dialog.open) img.src = full; };
                loader.src = full;
            }
            text.textContent = caption ? caption.textContent : "Image";
            counter.textContent = single ? "" : (current + 1) + " / " + links.length + " · ";
            original.href = full;
        }

        function open(index, from) {
            opener = from || links[index];
            show(index);
            dialog.showModal();
            close.focus();
        }

        // The viewer's controls that can take focus now, in tab order.
        function focusable() {
            return Array.prototype.slice.call(dialog.querySelectorAll("button, a[href]")).filter(function (el) {
                return !el.hidden && el.offsetParent !== null;
            });
        }

        prev.hidden = single;
        next.hidden = single;
        prev.addEventListener("click", function () { show(current - 1); });
        next.addEventListener("click", function () { show(current + 1); });
        close.addEventListener("click", function () { dialog.close(); });
        dialog.addEventListener("click", function (event) {
            if (event.target === dialog || event.target === stage) dialog.close();
        });
        dialog.addEventListener("keydown", function (event) {
            if (event.key === "ArrowLeft" && !single) { event.preventDefault(); show(current - 1); }
            else if (event.key === "ArrowRight" && !single) { event.preventDefault(); show(current + 1); }
            else if (event.key === "Escape") { event.preventDefault(); dialog.close(); }
            else if (event.key === "Tab") {
                var items = focusable();
                if (!items.length) return;
                var first = items[0], last = items[items.length - 1];
                var at = items.indexOf(document.activeElement);
                if (event.shiftKey && (at <= 0)) { event.preventDefault(); last.focus(); }
                else if (!event.shiftKey && (at === -1 || at === items.length - 1)) { event.preventDefault(); first.focus(); }
            }
        });

        // Swipe with a finger or a pen: a mostly horizontal move of 40 px or more steps.
        var start = null;
        stage.addEventListener("pointerdown", function (event) {
            if (event.pointerType === "mouse") return;
            start = { x: event.clientX, y: event.clientY, id: event.pointerId };
        });
        stage.addEventListener("pointerup", function (event) {
            if (!start || event.pointerId !== start.id) return;
            var dx = event.clientX - start.x, dy = event.clientY - start.y;
            start = null;
            if (single || Math.abs(dx) < 40 || Math.abs(dx) < Math.abs(dy) * 1.5) return;
            show(dx < 0 ? current + 1 : current - 1);
        });
        stage.addEventListener("pointercancel", function () { start = null; });

        links.forEach(function (link, i) {
            link.addEventListener("click", function (event) {
                if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey || event.button !== 0) return;
                event.preventDefault();
                open(i, link);
            });
        });
        dialog.addEventListener("close", function () {
            img.removeAttribute("src");
            if (opener) opener.focus();
            opener = null;
        });
    }

    // On a narrow screen the site navigation scrolls sideways: bring the current item into view.
    function setUpNav() {
        var list = document.querySelector("[data-easel-nav] ul");
        var here = list && list.querySelector("[aria-current]");
        if (!here || list.scrollWidth <= list.clientWidth) return;
        var item = here.parentNode;
        list.scrollLeft = Math.max(0, item.offsetLeft - (list.clientWidth - item.offsetWidth) / 2);
    }

    function start() {
        setUpFilters();
        setUpLightbox();
        setUpNav();
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
})();
