// Easel built-in theme: progressive enhancement only. Every page works without this file.
// - Index and album pages: search over data-search, filter by album/tag/model, sort by data-date,
//   over the cards of the page (an album page holds only its own). State is kept in the URL
//   fragment (#q=…&tag=…&sort=new) so a filtered view can be bookmarked.
// - Prompt pages: links marked data-easel-zoom open in a keyboard-accessible lightbox (focus kept
//   inside while open, arrows and swipes step, Escape closes, focus returns to the opener).
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
            count.textContent = filtering ? shown + " of " + cards.length + " shown" : cards.length + (cards.length === 1 ? " prompt" : " prompts");
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
