/// The page's scripts, inlined into `index.html`. They only read the page itself: no requests, no storage.
enum ReportPageScript {
    /// Run right after the `<video>` element, before the browser starts loading its track: opened from disk,
    /// the page points the track at the embedded copy of `transcript.vtt`, because browsers refuse `file://`
    /// tracks from a `file://` page. `vtt` is a JavaScript string literal.
    static func subtitleFallback(vtt: String) -> String {
        """
        (function () {
          var track = document.getElementById("subtitles");
          if (!track || location.protocol !== "file:" || !window.Blob || !window.URL) return;
          track.src = URL.createObjectURL(new Blob([\(vtt)], {type: "text/vtt"}));
        })();
        """
    }

    /// Seeking from time marks and scenes, highlighting what is playing, and the transcript search.
    static let js = """
        (function () {
          "use strict";
          var media = document.getElementById("media");
          document.addEventListener("click", function (event) {
            var control = event.target.closest ? event.target.closest("[data-seek]") : null;
            if (!control || !media) return;
            var time = parseFloat(control.getAttribute("data-seek"));
            if (!isFinite(time)) return;
            media.currentTime = time;
            var playing = media.play();
            if (playing && playing.catch) playing.catch(function () {});
          });
          if (!media) return;
          var timed = Array.prototype.slice.call(document.querySelectorAll("[data-start][data-end]"));
          var list = document.getElementById("segments");
          var last = null;
          function update() {
            var now = media.currentTime;
            timed.forEach(function (element) {
              var on = now >= parseFloat(element.getAttribute("data-start")) &&
                       now < parseFloat(element.getAttribute("data-end"));
              if (on === element.classList.contains("current")) return;
              element.classList.toggle("current", on);
              if (on) element.setAttribute("aria-current", "time"); else element.removeAttribute("aria-current");
              if (on && list && element.parentNode === list && element !== last) {
                last = element;
                var top = element.offsetTop - list.offsetTop;
                if (top < list.scrollTop || top > list.scrollTop + list.clientHeight - element.offsetHeight) {
                  list.scrollTop = Math.max(0, top - list.clientHeight / 3);
                }
              }
            });
          }
          media.addEventListener("timeupdate", update);
          media.addEventListener("seeked", update);
          var search = document.getElementById("transcript-search");
          var status = document.getElementById("search-status");
          if (search && list) {
            search.addEventListener("input", function () {
              var query = search.value.trim().toLowerCase();
              var shown = 0;
              Array.prototype.forEach.call(list.children, function (item) {
                var text = item.querySelector(".text");
                var match = !query || (text && text.textContent.toLowerCase().indexOf(query) >= 0);
                item.hidden = !match;
                if (match) shown += 1;
              });
              if (status) status.textContent = query ? shown + " matching segments" : "";
            });
          }
        })();
        """
}
