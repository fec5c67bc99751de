// Easel built-in theme: progressive enhancement only. Every page works without this file.
// - Index: search over data-search, filter by album/tag/model, sort by data-date. State is
//   kept in the URL fragment (#q=…&tag=…&sort=new) so a filtered view can be bookmarked.
// - Prompt pages: links marked data-easel-zoom open in a keyboard-accessible lightbox.
(function () {
    "use strict";

    function setUpFilters() {
        var form = document.querySelector("[data-easel-filters]");
        var gallery = document.querySelector("[data-easel-gallery]");
        if (!form || !gallery) return;

        var cards = Array.prototype.slice.call(gallery.children);
        cards.forEach(function (card, i) { card.dataset.order = String(i); });
        var search = form.querySelector("[data-easel-search]");
        var sort = form.querySelector("[data-easel-sort]");
        var count = form.querySelector("[data-easel-count]");
        var clear = form.querySelector("[data-easel-clear]");
        var noMatch = document.querySelector("[data-easel-no-match]");
        var chips = Array.prototype.slice.call(form.querySelectorAll("[data-facet]"));

        function selected(facet) {
            return chips.filter(function (chip) {
                return chip.dataset.facet === facet && chip.getAttribute("aria-pressed") === "true";
            }).map(function (chip) { return chip.dataset.value; });
        }

        // Within one facet any selected value matches; facets combine with AND.
        // An album matches itself and its sub-albums ("space" matches "space/stations").
        function matches(card, words, albums, tags, models) {
            var text = card.dataset.search || "";
            for (var i = 0; i < words.length; i++) {
                if (text.indexOf(words[i]) === -1) return false;
            }
            var album = card.dataset.album || "";
            if (albums.length && !albums.some(function (a) { return album === a || album.indexOf(a + "/") === 0; })) return false;
            var cardTags = (card.dataset.tags || "").split("|");
            if (tags.length && !tags.some(function (t) { return cardTags.indexOf(t) !== -1; })) return false;
            if (models.length && models.indexOf(card.dataset.model) === -1) return false;
            return true;
        }

        function apply(updateHash) {
            var words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
            var albums = selected("album"), tags = selected("tag"), models = selected("model");
            var shown = 0;
            cards.forEach(function (card) {
                var ok = matches(card, words, albums, tags, models);
                card.hidden = !ok;
                if (ok) shown++;
            });

            var order = sort.value;
            var sorted = cards.slice().sort(function (a, b) {
                if (order) {
                    var da = a.dataset.date || "", db = b.dataset.date || "";
                    // Cards without a date go last in either direction.
                    if (da !== db) {
                        if (!da) return 1;
                        if (!db) return -1;
                        return (order === "new" ? da < db : da > db) ? 1 : -1;
                    }
                }
                return Number(a.dataset.order) - Number(b.dataset.order);
            });
            sorted.forEach(function (card) { gallery.appendChild(card); });

            var filtering = words.length || albums.length || tags.length || models.length;
            count.textContent = filtering ? shown + " of " + cards.length + " shown" : cards.length + " prompts";
            clear.hidden = !(filtering || order);
            if (noMatch) noMatch.hidden = shown !== 0;
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

    function setUpLightbox() {
        var links = Array.prototype.slice.call(document.querySelectorAll("a[data-easel-zoom]"));
        if (!links.length || typeof HTMLDialogElement !== "function") return;

        var dialog = document.createElement("dialog");
        dialog.className = "lightbox";
        dialog.setAttribute("aria-label", "Image viewer");
        dialog.innerHTML =
            '<div class="lightbox-stage"><img alt=""></div>' +
            '<p class="lightbox-caption"><span class="lightbox-text"></span> · <a class="lightbox-original">Open original</a></p>' +
            '<button type="button" class="lightbox-button lightbox-close" aria-label="Close">\u2715</button>' +
            '<button type="button" class="lightbox-button lightbox-prev" aria-label="Previous image">\u2190</button>' +
            '<button type="button" class="lightbox-button lightbox-next" aria-label="Next image">\u2192</button>';
        document.body.appendChild(dialog);

        var img = dialog.querySelector("img");
        var text = dialog.querySelector(".lightbox-text");
        var original = dialog.querySelector(".lightbox-original");
        var prev = dialog.querySelector(".lightbox-prev");
        var next = dialog.querySelector(".lightbox-next");
        var current = 0;

        function show(index) {
            current = (index + links.length) % links.length;
            var link = links[current];
            var thumb = link.querySelector("img");
            var caption = link.closest("figure") && link.closest("figure").querySelector("figcaption .shot-label");
            img.src = link.getAttribute("href");
            img.alt = thumb ? thumb.alt : "";
            if (thumb) {
                // The same width/height as the page's <img>, so the viewer does not jump.
                img.setAttribute("width", thumb.getAttribute("width"));
                img.setAttribute("height", thumb.getAttribute("height"));
            }
            text.textContent = caption ? caption.textContent : "Image " + (current + 1) + " of " + links.length;
            original.href = link.getAttribute("href");
        }

        var single = links.length < 2;
        prev.hidden = single;
        next.hidden = single;
        prev.addEventListener("click", function () { show(current - 1); });
        next.addEventListener("click", function () { show(current + 1); });
        dialog.querySelector(".lightbox-close").addEventListener("click", function () { dialog.close(); });
        dialog.addEventListener("click", function (event) {
            if (event.target === dialog || event.target.classList.contains("lightbox-stage")) dialog.close();
        });
        dialog.addEventListener("keydown", function (event) {
            if (event.key === "ArrowLeft" && !single) { event.preventDefault(); show(current - 1); }
            if (event.key === "ArrowRight" && !single) { event.preventDefault(); show(current + 1); }
        });

        links.forEach(function (link, i) {
            link.addEventListener("click", function (event) {
                if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey || event.button !== 0) return;
                event.preventDefault();
                show(i);
                dialog.showModal();
                dialog.querySelector(".lightbox-close").focus();
            });
        });
        // Focus goes back to the link that opened the viewer.
        dialog.addEventListener("close", function () { links[current].focus(); });
    }

    function start() {
        setUpFilters();
        setUpLightbox();
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
})();
