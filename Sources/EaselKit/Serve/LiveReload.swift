import Foundation

/// The script `easel serve` adds to every HTML page it serves (never to the files in site/): it
/// listens to `/_easel/events`, reloads the page after a rebuild, and shows the problems of the
/// last build over the page.
enum LiveReload {
    static let eventsPath = "/_easel/events"

    /// `html` with the script before `</body>` (or at the end when there is none).
    static func inject(into html: String) -> String {
        guard let end = html.range(of: "</body>", options: .backwards) else { return html + script }
        return html.replacingCharacters(in: end.lowerBound..<end.lowerBound, with: script)
    }

    static let script = """
        <script data-easel-live-reload>
        (function () {
          var source = new EventSource("\(eventsPath)");
          function overlay(problems) {
            var old = document.getElementById("easel-problems");
            if (old) { old.remove(); }
            if (!problems.length) { return; }
            var box = document.createElement("div");
            box.id = "easel-problems";
            box.setAttribute("role", "alert");
            box.style.cssText = "position:fixed;inset:auto 1rem 1rem 1rem;max-height:50vh;overflow:auto;" +
              "z-index:2147483647;background:#2b0b0b;color:#ffd7d7;border:2px solid #ff6b6b;border-radius:8px;" +
              "padding:1rem 1.25rem;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,monospace;white-space:pre-wrap;";
            var title = document.createElement("strong");
            title.textContent = "easel serve: " + problems.length + " problem" + (problems.length > 1 ? "s" : "") + " in the last build";
            box.appendChild(title);
            problems.forEach(function (line) {
              var row = document.createElement("div");
              row.textContent = line;
              box.appendChild(row);
            });
            var close = document.createElement("button");
            close.type = "button";
            close.textContent = "Dismiss";
            close.style.cssText = "display:block;margin-top:.75rem;font:inherit;";
            close.onclick = function () { box.remove(); };
            box.appendChild(close);
            document.body.appendChild(box);
          }
          source.addEventListener("status", function (event) { overlay(JSON.parse(event.data)); });
          source.addEventListener("reload", function () { source.close(); location.reload(); });
        })();
        </script>

        """
}
